import Foundation
import Testing

/// `switchyard check` on hostile zone files, as an attacker who can edit a zone would
/// write them: it exits 1 (never dies on a signal) and names FILE:LINE:COLUMN. Before,
/// RDATA over 65,535 bytes trapped on the 16-bit length, and a long ALIAS chain was walked
/// by recursion (and from every name again).
@Suite struct HostileZoneCheckTests {
    static let header = "$TTL 300\n@ SOA ns1 host 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
    static let string255 = "\"" + String(repeating: "x", count: 255) + "\""

    /// Writes `files` into a fresh folder and runs `check` on it with `options`.
    static func check(_ files: [String: String], options: [String] = []) async throws -> (TemporaryFolder, ExternalTool.Result) {
        let folder = try TemporaryFolder(prefix: "hostile")
        for (name, text) in files {
            try text.write(to: folder.file(name), atomically: true, encoding: .utf8)
        }
        let result = try await SwitchyardCheck.run(["check"] + options + ["."], in: folder.url.path)
        return (folder, result)
    }

    static func expectRefused(_ files: [String: String], options: [String] = [], _ lines: [String],
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let (folder, result) = try await check(files, options: options)
        defer { folder.remove() }
        #expect(result.status == 1, "exit status \(result.status): \(result.stderr.prefix(500))", sourceLocation: sourceLocation)
        #expect(result.stderrLines == lines, sourceLocation: sourceLocation)
    }

    @Test func txtWithMoreThan65535BytesOfRData() async throws {
        try await Self.expectRefused(["txt.test.zone": Self.header + "big TXT " + Array(repeating: Self.string255, count: 300).joined(separator: " ") + "\n"],
                                     ["./txt.test.zone:5:9: error: TXT record: RDATA of 76800 bytes exceeds 65,535"])
    }

    @Test func caaWithMoreThan65535BytesOfRData() async throws {
        try await Self.expectRefused(["caa.test.zone": Self.header + "big CAA 0 issue \"" + String(repeating: "c", count: 70000) + "\"\n"],
                                     ["./caa.test.zone:5:9: error: CAA record: RDATA of 70007 bytes exceeds 65,535"])
    }

    @Test func genericRDataWithAHugeLength() async throws {
        try await Self.expectRefused(["gen.test.zone": Self.header + "big TYPE65280 \\# 4294967296 00\n"],
                                     ["./gen.test.zone:5:18: error: TYPE65280 record: RDATA length must be an integer from 0 to 65535, not '4294967296'"])
    }

    @Test func recordSetTooLargeForOneMessage() async throws {
        let set = (0..<260).map { "big TXT \"\($0)\" \(Self.string255)" }.joined(separator: "\n")
        try await Self.expectRefused(["set.test.zone": Self.header + set + "\n"],
                                     ["./set.test.zone:5:1: error: big.set.test. TXT set of 260 record(s) needs 70640 bytes in a response with its header and question; a DNS message holds at most 65,535"])
    }

    @Test func aliasChainOfTwentyThousandNames() async throws {
        let chain = (0..<20_000).map { "a\($0) ALIAS a\($0 + 1)" }.joined(separator: "\n")
        try await Self.expectRefused(["chain.test.zone": Self.header + chain + "\na20000 A 192.0.2.2\n"],
                                     ["./chain.test.zone:5:1: error: ALIAS chain from a0.chain.test. is 20000 hops long (a0.chain.test. → a1.chain.test. → a2.chain.test. → a3.chain.test. → …); answers follow at most 12"])
    }

    @Test func includeFanOutStopsAtMaxIncludes() async throws {
        let ten = { (name: String) in String(repeating: "$INCLUDE \(name)\n", count: 10) }
        try await Self.expectRefused(["fan.test.zone": Self.header + ten("a.inc"), "a.inc": ten("b.inc"), "b.inc": "leaf TXT \"x\"\n"],
                                     options: ["--max-includes", "50"],
                                     ["a.inc:6:10: error: $INCLUDE of b.inc exceeds the limit of 50 includes per zone (--max-includes); nothing after it is read"])
    }

    @Test func zoneSizeStopsAtMaxZoneRecordsAndMaxZoneBytes() async throws {
        let zone = Self.header + (1...10).map { "h\($0) A 192.0.2.\($0)" }.joined(separator: "\n") + "\n"
        try await Self.expectRefused(["size.test.zone": zone], options: ["--max-zone-records", "5"],
                                     ["./size.test.zone:7:1: error: zone has more than 5 records (--max-zone-records); nothing after this line is read"])
        try await Self.expectRefused(["size.test.zone": zone], options: ["--max-zone-bytes", "100"],
                                     ["./size.test.zone:1:1: error: zone file of \(zone.utf8.count) bytes exceeds the limit of 100 bytes per zone (--max-zone-bytes)"])
        let (folder, result) = try await Self.check(["size.test.zone": zone], options: ["--max-zone-records", "13", "--max-zone-bytes", "\(zone.utf8.count)"])
        defer { folder.remove() }
        #expect(result.status == 0, "\(result.stderr)")
    }
}
