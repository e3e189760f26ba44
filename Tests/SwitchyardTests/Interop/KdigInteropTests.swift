import DNSWire
import Foundation
import Testing

/// Knot's client, kdig, queries a running Switchyard over UDP and TCP; its JSON output
/// (RFC 8427 style) is checked for the rcode, the AA bit and the records.
@Suite("kdig interop")
struct KdigInteropTests {
    static let kdig = ExternalTool.find("kdig")

    /// One kdig run and what it must show.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var type: String
        var tcp: Bool
        var extra: [String] = []
        var rcode: Int
        var authoritative: Bool
        var answer: [String] = []
        var authority: [String] = []
        var additional: [String] = []

        var description: String { "\(name) \(type) over \(tcp ? "TCP" : "UDP") \(extra.joined(separator: " "))" }
    }

    static let cases: [Case] = [
        Case(name: "ns1.drill.test", type: "A", tcp: false, rcode: 0, authoritative: true,
             answer: ["ns1.drill.test. 300 A 127.0.0.1"]),
        Case(name: "ns2.drill.test", type: "AAAA", tcp: true, rcode: 0, authoritative: true,
             answer: ["ns2.drill.test. 300 AAAA ::1"]),
        Case(name: "drill.test", type: "MX", tcp: true, rcode: 0, authoritative: true,
             answer: ["drill.test. 300 MX 10 mx1.drill.test.", "drill.test. 300 MX 20 mx2.drill.test."],
             additional: ["mx1.drill.test. 300 A 192.0.2.25", "mx2.drill.test. 300 A 198.51.100.25"]),
        Case(name: "drill.test", type: "TXT", tcp: false, extra: ["+edns", "+bufsize=1232"], rcode: 0, authoritative: true,
             answer: ["drill.test. 300 TXT \"v=spf1 mx -all\""]),
        Case(name: "x.preview.drill.test", type: "A", tcp: false, rcode: 0, authoritative: true,
             answer: ["x.preview.drill.test. 300 A 192.0.2.80"]),
        Case(name: "host.lab.drill.test", type: "A", tcp: true, rcode: 0, authoritative: false,
             authority: ["lab.drill.test. 300 NS ns1.lab.drill.test.", "lab.drill.test. 300 NS ns2.lab.drill.test."],
             additional: ["ns1.lab.drill.test. 300 A 192.0.2.53", "ns2.lab.drill.test. 300 A 198.51.100.53"]),
        Case(name: "missing.drill.test", type: "A", tcp: false, rcode: 3, authoritative: true,
             authority: ["drill.test. 60 SOA ns1.drill.test. hostmaster.drill.test. 2026120201 3600 900 1209600 60"]),
        Case(name: "missing.drill.test", type: "A", tcp: true, rcode: 3, authoritative: true,
             authority: ["drill.test. 60 SOA ns1.drill.test. hostmaster.drill.test. 2026120201 3600 900 1209600 60"]),
        Case(name: "www.example.com", type: "A", tcp: false, rcode: 5, authoritative: false),
    ]

    @Test(.enabled(if: KdigInteropTests.kdig != nil, "kdig is not installed (Debian package knot-dnsutils)"),
          .enabled(if: RepositoryLayout.switchyard != nil, "the switchyard executable could not be built"),
          .timeLimit(.minutes(1)))
    func kdigGetsTheAnswersOfTheDrillZone() async throws {
        let folder = try TemporaryFolder(prefix: "kdig")
        defer { folder.remove() }
        let server = try await ServerUnderTest.start(name: "switchyard", executable: RepositoryLayout.switchyard!, folder: folder,
                                         probe: ("drill.test.", .soa)) { port in
            ["serve", RepositoryLayout.root.appendingPathComponent("zones").path,
             "--listen", "127.0.0.1:\(port)", "--admin", "off", "--threads", "1"]
        }
        defer { server.stop() }

        for test in Self.cases {
            var arguments = ["@127.0.0.1", "-p", String(server.port), "-q", test.name, "-t", test.type,
                             "+json", "+norecurse", "+timeout=2", "+retry=0"]
            if test.tcp { arguments.append("+tcp") }
            arguments += test.extra
            let run = try await ExternalTool.run(Self.kdig!, arguments, timeout: .seconds(10))
            guard run.status == 0, let reply = try? KdigReply(json: run.stdout) else {
                Issue.record("\(test): kdig failed (\(run.status)): \(run.stderr)\(run.stdout)")
                continue
            }
            #expect(reply.rcode == test.rcode, "\(test): rcode")
            #expect(reply.authoritative == test.authoritative, "\(test): AA")
            #expect(!reply.truncated, "\(test): TC")
            #expect(reply.answer == test.answer.sorted(), "\(test): answer")
            #expect(reply.authority == test.authority.sorted(), "\(test): authority")
            #expect(reply.additional == test.additional.sorted(), "\(test): additional")
            #expect(reply.hasOPT == test.extra.contains("+edns"), "\(test): OPT only when the query had one")
        }
        #expect(server.child.isRunning, "switchyard exited: \(server.child.output)")
    }
}

/// The parts of kdig's JSON output the test reads: header fields and each section as
/// sorted `NAME TTL TYPE RDATA` lines (the OPT record apart).
struct KdigReply {
    var rcode: Int
    var authoritative: Bool
    var truncated: Bool
    var answer: [String]
    var authority: [String]
    var additional: [String]
    var hasOPT: Bool

    enum Failure: Error { case notJSON }

    init(json: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { throw Failure.notJSON }
        rcode = object["RCODE"] as? Int ?? -1
        authoritative = object["AA"] as? Int == 1
        truncated = object["TC"] as? Int == 1
        func records(_ key: String) -> [[String: Any]] { object[key] as? [[String: Any]] ?? [] }
        func lines(_ records: [[String: Any]]) -> [String] {
            records.filter { $0["TYPEname"] as? String != "OPT" }.map { record in
                let type = record["TYPEname"] as? String ?? "?"
                let data = record["rdata\(type)"] as? String ?? (record["RDATAHEX"] as? String ?? "")
                return "\(record["NAME"] as? String ?? "?") \(record["TTL"] as? Int ?? -1) \(type) \(data)"
            }.sorted()
        }
        answer = lines(records("answerRRs"))
        authority = lines(records("authorityRRs"))
        additional = lines(records("additionalRRs"))
        hasOPT = records("additionalRRs").contains { $0["TYPEname"] as? String == "OPT" }
    }
}
