import DNSWire
import Foundation
import Testing

/// An independent client library, dnspython, talks to a running Switchyard serving the
/// repository's zones/ folder: plain queries over UDP and TCP, pipelined TCP, EDNS Client
/// Subnet, and malformed packets that must not stop the server. The Python script prints
/// what it saw as JSON; the assertions are here.
@Suite("dnspython interop")
struct DnspythonInteropTests {
    static let python = ExternalTool.find("python3")

    /// Whether python3 can import dnspython (checked once).
    static let hasDnspython: Bool = {
        guard let python else { return false }
        let check = try? ExternalTool.run(python, ["-c", "import dns.message, dns.query, dns.edns"], timeout: .seconds(20))
        return check?.status == 0
    }()

    @Test(.enabled(if: DnspythonInteropTests.hasDnspython, "dnspython is not installed (pip install dnspython)"),
          .enabled(if: RepositoryLayout.switchyard != nil, "the switchyard executable could not be built"),
          .timeLimit(.minutes(1)))
    func dnspythonGetsTheAnswersOfTheDrillZone() async throws {
        let folder = try TemporaryFolder(prefix: "dnspython")
        defer { folder.remove() }
        let server = try await ServerUnderTest.start(name: "switchyard", executable: RepositoryLayout.switchyard!, folder: folder,
                                         probe: ("drill.test.", .soa)) { port in
            ["serve", RepositoryLayout.root.appendingPathComponent("zones").path,
             "--listen", "127.0.0.1:\(port)", "--admin", "off", "--threads", "1"]
        }
        defer { server.stop() }

        let script = RepositoryLayout.fixture("interop/dnspython_client.py").path
        let run = try await ExternalTool.run(Self.python!, [script, String(server.port)], timeout: .seconds(40))
        try #require(run.status == 0, "the dnspython script failed: \(run.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8))

        for (transport, answers) in [("UDP", report.udp), ("TCP", report.tcp)] {
            Self.checkPlainAnswers(answers, transport: transport)
        }
        Self.checkPipelining(report.pipelined)
        Self.checkClientSubnet(report.clientSubnet)
        Self.checkMalformed(report.malformed)
        #expect(report.afterMalformed.rcode == "NOERROR", "the server stopped answering after the malformed packets")
        #expect(report.afterMalformed.answer == ["ns1.drill.test. 300 A 127.0.0.1"])
        #expect(server.child.isRunning, "switchyard exited: \(server.child.output)")
    }

    static func checkPlainAnswers(_ answers: [String: Summary], transport: String) {
        func answer(_ key: String) -> Summary {
            let found = answers[key] ?? Summary(error: "no entry for \(key)")
            #expect(found.error == nil, "\(transport) \(key): \(found.error ?? "")")
            return found
        }
        let ns1 = answer("ns1.drill.test. A")
        #expect(ns1.rcode == "NOERROR" && ns1.aa == true, "\(transport) ns1 A: \(ns1)")
        #expect(ns1.answer == ["ns1.drill.test. 300 A 127.0.0.1"], "\(transport) ns1 A")

        #expect(answer("ns2.drill.test. AAAA").answer == ["ns2.drill.test. 300 AAAA ::1"], "\(transport) ns2 AAAA")
        #expect(answer("mx1.drill.test. A").answer == ["mx1.drill.test. 300 A 192.0.2.25"], "\(transport) mx1 A")

        let mx = answer("drill.test. MX")
        #expect(mx.answer == ["drill.test. 300 MX 10 mx1.drill.test.", "drill.test. 300 MX 20 mx2.drill.test."], "\(transport) MX")
        #expect(mx.additional == ["mx1.drill.test. 300 A 192.0.2.25", "mx2.drill.test. 300 A 198.51.100.25"], "\(transport) MX additional")

        #expect(answer("drill.test. TXT").answer == ["drill.test. 300 TXT \"v=spf1 mx -all\""], "\(transport) apex TXT")

        let wildcard = answer("x.preview.drill.test. A")
        #expect(wildcard.aa == true && wildcard.answer == ["x.preview.drill.test. 300 A 192.0.2.80"], "\(transport) wildcard A: \(wildcard)")
        #expect(answer("x.preview.drill.test. TXT").answer == ["x.preview.drill.test. 300 TXT \"wildcard preview host\""], "\(transport) wildcard TXT")

        let referral = answer("host.lab.drill.test. A")
        #expect(referral.rcode == "NOERROR" && referral.aa == false && referral.answer == [], "\(transport) referral: \(referral)")
        #expect(referral.authority == ["lab.drill.test. 300 NS ns1.lab.drill.test.", "lab.drill.test. 300 NS ns2.lab.drill.test."], "\(transport) referral NS")
        #expect(referral.additional == ["ns1.lab.drill.test. 300 A 192.0.2.53", "ns2.lab.drill.test. 300 A 198.51.100.53"], "\(transport) glue")

        let missing = answer("missing.drill.test. A")
        #expect(missing.rcode == "NXDOMAIN" && missing.aa == true && missing.answer == [], "\(transport) NXDOMAIN: \(missing)")
        #expect(missing.authority == ["drill.test. 60 SOA ns1.drill.test. hostmaster.drill.test. 2026120201 3600 900 1209600 60"],
                "\(transport) NXDOMAIN SOA with the negative TTL")

        let outside = answer("www.example.com. A")
        #expect(outside.rcode == "REFUSED" && outside.aa == false && outside.answer == [], "\(transport) REFUSED: \(outside)")
    }

    static func checkPipelining(_ pipelined: Pipelined) {
        #expect(pipelined.replies.count == 3, "pipelined: \(pipelined.replies)")
        #expect(pipelined.replies.allSatisfy { $0.error == nil }, "pipelined: \(pipelined.replies)")
        let byID = Dictionary(pipelined.replies.compactMap { reply in reply.id.map { ($0, reply) } }, uniquingKeysWith: { first, _ in first })
        #expect(Set(byID.keys) == Set(pipelined.sent), "each pipelined query answered once")
        guard pipelined.sent.count == 3 else { return }
        #expect(byID[pipelined.sent[0]]?.answer == ["ns1.drill.test. 300 A 127.0.0.1"])
        #expect(byID[pipelined.sent[1]]?.answer.count == 2)
        #expect(byID[pipelined.sent[2]]?.rcode == "NXDOMAIN")
    }

    static func checkClientSubnet(_ subnet: ClientSubnetResult) {
        #expect(subnet.error == nil, "ECS query: \(subnet.error ?? "")")
        #expect(subnet.edns == 0, "the reply to an EDNS query carries OPT")
        #expect(subnet.echoed == 1, "the ECS option is echoed once")
        #expect(subnet.address == "192.0.2.0" && subnet.source == 24, "the echoed ECS keeps the source: \(subnet)")
        #expect(subnet.scope == 0, "a plain name's answer does not depend on the client: scope 0")
        #expect(subnet.response?.answer == ["ns1.drill.test. 300 A 127.0.0.1"])
    }

    static func checkMalformed(_ results: [MalformedResult]) {
        #expect(results.count == 6)
        for result in results where result.reply {
            #expect(result.qr == true && result.sameID == true && result.rcode == Int(ResponseCode.formErr.rawValue),
                    "a reply to '\(result.label)' must be FORMERR for the same id: \(result)")
        }
        #expect(results.first { $0.label == "truncated header" }?.reply == false, "a runt gets no reply")
        #expect(results.first { $0.label == "question missing" }?.reply == true, "a header announcing a missing question gets FORMERR")
    }

    // What the script prints.
    struct Report: Decodable {
        var udp: [String: Summary]
        var tcp: [String: Summary]
        var pipelined: Pipelined
        var clientSubnet: ClientSubnetResult
        var malformed: [MalformedResult]
        var afterMalformed: Summary
    }

    struct Summary: Decodable, CustomStringConvertible {
        var id: Int?
        var rcode: String?
        var aa: Bool?
        var tc: Bool?
        var answer: [String] = []
        var authority: [String] = []
        var additional: [String] = []
        var error: String?

        init(error: String) { self.error = error }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(Int.self, forKey: .id)
            rcode = try c.decodeIfPresent(String.self, forKey: .rcode)
            aa = try c.decodeIfPresent(Bool.self, forKey: .aa)
            tc = try c.decodeIfPresent(Bool.self, forKey: .tc)
            answer = try c.decodeIfPresent([String].self, forKey: .answer) ?? []
            authority = try c.decodeIfPresent([String].self, forKey: .authority) ?? []
            additional = try c.decodeIfPresent([String].self, forKey: .additional) ?? []
            error = try c.decodeIfPresent(String.self, forKey: .error)
        }

        enum CodingKeys: String, CodingKey { case id, rcode, aa, tc, answer, authority, additional, error }

        var description: String {
            error ?? "\(rcode ?? "?") aa=\(aa ?? false) tc=\(tc ?? false) answer=\(answer) authority=\(authority) additional=\(additional)"
        }
    }

    struct Pipelined: Decodable {
        var sent: [Int]
        var replies: [Summary]
    }

    struct ClientSubnetResult: Decodable {
        var response: Summary?
        var edns: Int?
        var echoed: Int?
        var address: String?
        var source: Int?
        var scope: Int?
        var error: String?
    }

    struct MalformedResult: Decodable {
        var label: String
        var reply: Bool
        var rcode: Int?
        var qr: Bool?
        var sameID: Bool?
    }
}
