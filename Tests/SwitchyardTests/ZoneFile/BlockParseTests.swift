import DNSWire
import Foundation
import Testing
import ZoneFile
import Zones
import ZoneSources

/// A zone file read a block at a time parses as the same file read whole, wherever the
/// blocks split it: inside a word, a quoted string, a comment, parentheses over several
/// lines, or a routing block; and a file bigger than one block of the folder source loads
/// into the same zone.
@Suite struct BlockParseTests {
    /// Every construct of the streaming test's zone, and the lexer's own errors: a stray
    /// ')', a quoted string left open, and a '(' never closed at the end.
    static let zone = StreamingParseTests.zone + """

        stray   IN A 192.0.2.1 )
        open    IN TXT "not closed
        multi   IN TXT ( "one" ; comment (with parens)
                  "two" )

        ; a comment "with a quote
        long    IN TXT "\(String(repeating: "x", count: 200))"
        last    IN A 192.0.2.9
        never   IN MX ( 10
        """

    static func blockwise(_ text: String, blockSize: Int, limits: ZoneLimits = .standard) -> (ParsedZoneFile, [ZoneFileRecord]) {
        let bytes = Array(text.utf8)
        var offset = 0
        var records: [ZoneFileRecord] = []
        let parsed = ZoneFileParser(source: MemoryIncludes(StreamingParseTests.includes), limits: limits)
            .parse(file: "mix.test.zone", size: bytes.count, fileOrigin: "mix.test.", blocks: {
                guard offset < bytes.count else { return nil }
                defer { offset = min(bytes.count, offset + blockSize) }
                return Array(bytes[offset..<min(bytes.count, offset + blockSize)])
            }) { record, _ in records.append(record) }
        return (parsed, records)
    }

    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { ($0.location, $0.description) < ($1.location, $1.description) }
    }

    @Test(arguments: [1, 2, 3, 7, 16, 61, 4096])
    func blocksOfAnySizeGiveTheRecordsAndMessagesOfTheWholeFile(blockSize: Int) {
        let whole = ZoneFileParser(source: MemoryIncludes(StreamingParseTests.includes))
            .parse(file: "mix.test.zone", bytes: Array(Self.zone.utf8), fileOrigin: "mix.test.")
        let (parsed, records) = Self.blockwise(Self.zone, blockSize: blockSize)
        #expect(whole.records.count >= 25)
        StreamingParseTests.expectSame(records, whole.records)
        #expect(whole.diagnostics.count >= 5)
        StreamingParseTests.expectSame(Self.sorted(parsed.diagnostics), Self.sorted(whole.diagnostics))
        #expect(parsed.origin == whole.origin)
        #expect(parsed.files == whole.files)
        #expect(parsed.healthChecks == whole.healthChecks)
        #expect(parsed.cidrBlocks == whole.cidrBlocks)
        #expect(!parsed.stoppedAtLimit)
    }

    @Test func aParenthesisNeverClosedInABigFileIsReadInLinearTime() {
        // Small blocks and 45,000 lines after the '(': reading the open logical line again
        // for every block would lex about a gigabyte; doubling before each retry keeps it near
        // twice the file.
        var text = "$ORIGIN mix.test.\n@ IN SOA ns1 hostmaster 1 3600 600 86400 60\n@ IN NS ns1\nbroken IN TXT ( \"open\"\n"
        for i in 0..<45_000 { text += "  \"part \(i)\"\n" }
        var handed = 0
        let bytes = Array(text.utf8)
        var offset = 0
        let started = ContinuousClock.now
        let parsed = ZoneFileParser().parse(file: "mix.test.zone", size: bytes.count, fileOrigin: "mix.test.", blocks: {
            guard offset < bytes.count else { return nil }
            defer { offset = min(bytes.count, offset + 256) }
            handed += 1
            return Array(bytes[offset..<min(bytes.count, offset + 256)])
        }) { _, _ in }
        let took = ContinuousClock.now - started
        #expect(handed > 1_000)
        #expect(parsed.diagnostics.contains { $0.message.contains("(") }, "\(parsed.diagnostics.map(\.message))")
        #expect(took < .seconds(10), "took \(took)")
    }

    @Test func aFileThatGrowsPastTheByteLimitWhileReadIsStopped() {
        var limits = ZoneLimits.standard
        limits.maximumBytes = 100
        // The size given is the size when opened; the blocks bring more.
        let bytes = Array(Self.zone.utf8)
        var given = false
        let parsed = ZoneFileParser(limits: limits).parse(file: "mix.test.zone", size: 90, fileOrigin: "mix.test.", blocks: {
            defer { given = true }
            return given ? nil : Array(bytes[..<101])
        }) { _, _ in }
        #expect(parsed.stoppedAtLimit)
        #expect(parsed.diagnostics.map(\.message) == ["zone file of 101 bytes exceeds the limit of 100 bytes per zone (--max-zone-bytes)"])
    }

    @Test func aFolderZoneBiggerThanABlockLoadsAsTheSameZone() throws {
        var text = "$ORIGIN big.test.\n$TTL 300\n@ IN SOA ns1 hostmaster (\n 1 3600 600\n 86400 60 )\n@ NS ns1\nns1 A 192.0.2.53\n"
        for i in 0..<40_000 {
            text += "host-\(i) IN A 198.51.\(i >> 8 & 255).\(i & 255)\n"
            if i % 3 == 0 { text += "  IN TXT ( \"part one\"\n    \"part two \(i)\" )\n" }
        }
        #expect(text.utf8.count > 1 << 20)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("block-parse-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/big.test.zone"))

        let load = try ZoneSetLoader().load(from: FolderZoneSource(paths: [folder]))
        let report = try #require(load.reports.first)
        #expect(report.errors.isEmpty)
        let zone = try #require(report.zone)
        let whole = try #require(ZoneFixtures.zone(text, origin: "big.test."))
        #expect(zone.recordCount == whole.recordCount)
        #expect(zone.trie.count == whole.trie.count)
        for i in stride(from: 0, to: 40_000, by: 997) {
            let name = try DomainName("host-\(i).big.test.", origin: .root)
            let node = try #require(zone.trie.find(name))
            let expected = try #require(whole.trie.find(name))
            #expect(zone.trie.node(node).rrsets.map(\.records) == whole.trie.node(expected).rrsets.map(\.records))
        }
    }
}
