import DNSWire
import Foundation
import Testing
@testable import ZoneFile
import Zones
import ZoneSources

/// The streaming `parse(…eachRecord:)` against the collecting one, and the plain-line
/// fast path against the general lexer: same records, same order, same messages.
@Suite struct StreamingParseTests {
    /// Everything the parser knows in one zone: directives, both owner forms, carried
    /// owners, parentheses, routing blocks, ALIAS, health checks, CIDR blocks, an include
    /// with its own origin, and some errors.
    static let zone = """
        ; a zone touching every construct
        $TTL 1h
        $ORIGIN mix.test.
        @       IN SOA ns1 hostmaster ( 2026120501 ; serial
                        7200 3600 1209600 300 )
                IN NS  ns1
                IN NS  ns2.mix.test.
        ns1     IN A   192.0.2.53
        ns2.mix.test.  300 IN A 192.0.2.54
                IN AAAA 2001:db8::54
        www     60 IN A 192.0.2.80
        www     IN 60 AAAA 2001:db8::80
        txt     IN TXT "two words" plain "v=spf1 -all"
        mail    IN MX 10 mx.elsewhere.test.
        $HEALTHCHECK hc1 http://192.0.2.80/health interval=10s
        $HEALTHCHECK hc2 tcp://192.0.2.81:443
        $CIDR corp hq 10.1.0.0/16 2001:db8:100::/48
        api     [weighted id=a weight=10 health=hc1] 60 IN A 192.0.2.1
        api     [weighted id=b weight=20 health=hc2] 60 IN A 192.0.2.2
        near    [geo id=eu continent=EU] IN CNAME www
        near    [geo id=default country=*] IN CNAME www
        apex-alias  IN ALIAS www
        $INCLUDE part.inc sub.mix.test.
        after   IN A 192.0.2.99
        bad     IN A 192.0.2.300
        worse   IN BOGUS data
        $ORIGIN later.test.
        tail    IN PTR www
                IN TXT "carried"
        """

    static let includes = ["part.inc": "inner IN A 192.0.2.7\n  IN AAAA 2001:db8::7\n$TTL 5m\nother IN NS ns1\n"]

    static func both(_ text: String, file: String = "mix.test.zone", origin: DomainName = "mix.test.",
                      includes: [String: String] = [:]) -> (collected: ParsedZoneFile, streamed: ParsedZoneFile,
                                                             records: [ZoneFileRecord], origins: [DomainName]) {
        let parser = ZoneFileParser(source: MemoryIncludes(includes))
        let collected = parser.parse(file: file, bytes: Array(text.utf8), fileOrigin: origin)
        var records: [ZoneFileRecord] = []
        var origins: [DomainName] = []
        let streamed = ZoneFileParser(source: MemoryIncludes(includes)).parse(file: file, bytes: Array(text.utf8), fileOrigin: origin) {
            records.append($0)
            origins.append($1)
        }
        return (collected, streamed, records, origins)
    }

    /// Equal lists, or one compact message naming the first difference.
    static func expectSame<T: Equatable>(_ a: [T], _ b: [T], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        if let k = Array(zip(a, b)).firstIndex(where: { $0.0 != $0.1 }) {
            Issue.record("first difference at \(k): \(a[k]) ≠ \(b[k])", sourceLocation: sourceLocation)
        }
    }

    static func expectSameExceptRecords(_ a: ParsedZoneFile, _ b: ParsedZoneFile) {
        #expect(a.origin == b.origin)
        #expect(a.file == b.file)
        #expect(a.files == b.files)
        #expect(a.diagnostics == b.diagnostics)
        #expect(a.healthChecks == b.healthChecks)
        #expect(a.cidrBlocks == b.cidrBlocks)
        #expect(a.stoppedAtLimit == b.stoppedAtLimit)
    }

    @Test func streamingYieldsTheCollectedRecordsInOrderWithTheSameDiagnostics() {
        let (collected, streamed, records, origins) = StreamingParseTests.both(StreamingParseTests.zone, includes: StreamingParseTests.includes)
        #expect(collected.records.count >= 20)
        #expect(records == collected.records)
        #expect(streamed.records.isEmpty)
        StreamingParseTests.expectSameExceptRecords(collected, streamed)
        #expect(collected.healthChecks.count == 2)
        #expect(collected.cidrBlocks.count == 1)
        #expect(collected.files == ["mix.test.zone", "part.inc"])
        #expect(collected.diagnostics.map(\.location.line) == [25, 26])
        #expect(origins.count == records.count)
        #expect(origins.allSatisfy { $0 == "mix.test." })
        // The include's records sit at the place of the directive.
        let owners = records.map(\.owner.description)
        let inner = owners.firstIndex(of: "inner.sub.mix.test.")
        #expect(inner != nil && owners[inner! + 3] == "after.mix.test.")
    }

    @Test func aLaterOriginDoesNotChangeTheOriginHandedWithEachRecord() {
        let text = "$TTL 60\n$ORIGIN first.test.\n@ IN NS ns1\nwww IN A 192.0.2.1\n$ORIGIN second.test.\nwww IN A 192.0.2.2\n"
        let (collected, _, records, origins) = StreamingParseTests.both(text, file: "x.test.zone", origin: "x.test.")
        #expect(collected.origin == "first.test.")
        #expect(records.map(\.owner) == ["first.test.", "www.first.test.", "www.second.test."])
        #expect(origins == ["first.test.", "first.test.", "first.test."])

        // An $ORIGIN after the first record never names the zone: the file name does.
        let late = "$TTL 60\nwww IN A 192.0.2.1\n$ORIGIN other.test.\nwww IN A 192.0.2.2\n"
        let (lateCollected, _, lateRecords, lateOrigins) = StreamingParseTests.both(late, file: "x.test.zone", origin: "x.test.")
        #expect(lateCollected.origin == "x.test.")
        #expect(lateRecords.map(\.owner) == ["www.x.test.", "www.other.test."])
        #expect(lateOrigins == ["x.test.", "x.test."])
    }

    @Test(arguments: GoldenZoneFileCase.all.map(\.name))
    func everyGoldenZoneStreamsWhatItCollects(_ name: String) throws {
        let folder = GoldenZoneFileCase.root + "/" + name
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".zone") }.sorted()
        #expect(!files.isEmpty)
        for file in files {
            let bytes = [UInt8](FileManager.default.contents(atPath: folder + "/" + file) ?? Data())
            let origin = (try? DomainName(ZoneSetLoader.origin(forFile: file), origin: .root)) ?? .root
            let parser = ZoneFileParser(source: FolderIncludeSource(folder: folder, displayFolder: ""))
            let collected = parser.parse(file: file, bytes: bytes, fileOrigin: origin)
            var records: [ZoneFileRecord] = []
            var origins = Set<DomainName>()
            let streamed = parser.parse(file: file, bytes: bytes, fileOrigin: origin) { records.append($0); origins.insert($1) }
            #expect(records == collected.records, "\(name)/\(file)")
            #expect(streamed.records.isEmpty)
            StreamingParseTests.expectSameExceptRecords(collected, streamed)
            #expect(origins.isSubset(of: [collected.origin]))
        }
    }

    /// Lines the fast path takes or declines, read with it and with the general path
    /// alone: every record and message must be the same.
    @Test func plainLinesGiveWhatTheGeneralPathGives() {
        let lines = [
            "; a comment line", "$TTL 300", "$ORIGIN plain.test.",
            "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300",
            "@ IN NS ns1", "ns1 IN A 192.0.2.1 ; trailing comment", " IN AAAA 2001:db8::1;tight", "\tin\taaaa\t::ffff:192.0.2.9",
            "www 60 IN A 198.51.100.7", "www IN 60 A 198.51.100.8", "abs.plain.test. 0 A 192.0.2.2",
            "name.other. IN CNAME target.other.", "alias CNAME www", "mx MX 010 mail", "mx mx 65535 .",
            "ptr PTR www.plain.test.", "t TXT \"a b\" c \"\"", "t TXT \"semi;colon (paren)\";after", "UPPER.Case IN A 10.0.0.1",
            "@ 7 IN A 192.0.2.3", "*.wild IN A 192.0.2.4", "\r", "   ", "crlf IN A 192.0.2.5\r", "v6 AAAA ::", "v6 AAAA 1::",
            "v6 AAAA 1:2:3:4:5:6:7:8", "v6 AAAA 1:2:3:4:5:6::8", "v6 AAAA ABCD:ef01::",
            // Errors, and lines only the general path reads.
            "bad IN A 192.0.2.256", "bad IN A 01.2.3.4", "bad IN A 1.2.3", "bad IN AAAA 2001:db8::g",
            "bad AAAA 1:2:3:4:5:6:7:8:9", "bad AAAA 1::2::3", "bad AAAA :1::", "bad AAAA 1::2:", "bad AAAA 12345::",
            "bad AAAA 1:2:3:4:5:6:7::8", "bad AAAA 1:2:3:4:5:6:7",
            "bad IN MX 65536 mail", "bad IN MX ten mail", "bad IN MX 10", "bad IN A 192.0.2.1 extra",
            "a..b IN A 192.0.2.1", ".lead IN A 192.0.2.1", "x IN NS a..b", "x 2147483648 IN A 192.0.2.1",
            "x 1h IN A 192.0.2.1", "x 60 60 IN A 192.0.2.1", "x IN IN A 192.0.2.1", "x CH A 192.0.2.1",
            "x IN", "x 60", "x IN TYPE1 \\# 4 c0000201", "x IN A \"192.0.2.1\"", "\"q\" IN A 192.0.2.1",
            "x IN TXT \"unterminated", "x IN TXT \"a\"b", "x IN TXT a\"b\"", "x IN HINFO a b", "x IN A (192.0.2.1)",
            "x [weighted id=a weight=1] IN A 192.0.2.1", "x IN A 192.0.2.1 ]", "x IN TXT \"\\065\"",
            String(repeating: "l", count: 64) + " IN A 192.0.2.1",
            String(repeating: "abcdefghi.", count: 25) + "abc IN A 192.0.2.1",
            "x IN A 192.0.2.1 192.0.2.2", "x IN TXT 1 2 3 4 5 6 7 8 9 10 11 12",
        ]
        let text = Array((lines.joined(separator: "\n") + "\n").utf8)
        let fast = ZoneFileParser().parse(file: "plain.test.zone", bytes: text, fileOrigin: "plain.test.")
        var generalParser = ZoneFileParser()
        generalParser.readsPlainLines = false
        let general = generalParser.parse(file: "plain.test.zone", bytes: text, fileOrigin: "plain.test.")
        #expect(fast.records.count >= 25)
        StreamingParseTests.expectSame(fast.records, general.records)
        StreamingParseTests.expectSame(fast.diagnostics, general.diagnostics)
        #expect(fast.diagnostics.count >= 25)
        #expect(fast.records.map(\.typeName).contains("TXT"))
    }

    /// Random lines from pieces of record syntax, good and bad, mixed with directives:
    /// the fast path and the general path must agree on every one (a fixed seed, so a
    /// failure repeats).
    @Test func randomLinesParseAsTheGeneralPathParsesThem() {
        let owners = ["www", "@", "a.b", "abs.rand.test.", "*.w", "x..y", ".", "UP", "", " ", "\t", "$ORIGIN", "-", "a;c", "\"q\""]
        let middles = ["", "60", "IN", "in", "60 IN", "IN 60", "1h", "CH", "IN IN", "60 60", "2147483648", "007", "INX", "I"]
        let types = ["A", "a", "AAAA", "NS", "CNAME", "PTR", "MX", "TXT", "SRV", "ALIAS", "BOGUS", "TYPE1", "SOA"]
        let datas = ["192.0.2.1", "192.0.2.256", "1.2.3", "::1", "2001:db8::5", "1::2::3", "fe80::1:2:3:4:5:6:7",
                     "10 mail", "65536 mx", "mail", "target.", "a..b", "\"txt\"", "\"a\" b", "\"\"", "x;comment",
                     "192.0.2.1 ; c", "(192.0.2.1)", "\\# 0", "\"open", "", "1 2 3 4"]
        let directives = ["$TTL 300", "$ORIGIN sub.rand.test.", "$ORIGIN rand.test.", "$TTL 1h", "; comment", ""]
        var state: UInt64 = 0x5EED
        func pick(_ list: [String]) -> String {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return list[Int((state >> 33) % UInt64(list.count))]
        }
        var lines: [String] = []
        for _ in 0..<4000 {
            if pick(["r", "r", "r", "r", "r", "r", "d"]) == "d" {
                lines.append(pick(directives))
            } else {
                lines.append([pick(owners), pick(middles), pick(types), pick(datas)].joined(separator: pick([" ", "\t", "  "])))
            }
        }
        let text = Array((lines.joined(separator: "\n") + "\n").utf8)
        let fast = ZoneFileParser().parse(file: "rand.test.zone", bytes: text, fileOrigin: "rand.test.")
        var generalParser = ZoneFileParser()
        generalParser.readsPlainLines = false
        let general = generalParser.parse(file: "rand.test.zone", bytes: text, fileOrigin: "rand.test.")
        #expect(fast.records.count > 100)
        #expect(fast.diagnostics.count > 100)
        StreamingParseTests.expectSame(fast.records, general.records)
        StreamingParseTests.expectSame(fast.diagnostics, general.diagnostics)
        #expect(fast.origin == general.origin)
    }

    @Test(arguments: GoldenZoneFileCase.all.map(\.name))
    func everyGoldenZoneParsesAsTheGeneralPathParsesIt(_ name: String) throws {
        let folder = GoldenZoneFileCase.root + "/" + name
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".zone") }.sorted()
        #expect(!files.isEmpty)
        for file in files {
            let bytes = [UInt8](FileManager.default.contents(atPath: folder + "/" + file) ?? Data())
            let origin = (try? DomainName(ZoneSetLoader.origin(forFile: file), origin: .root)) ?? .root
            let fast = ZoneFileParser(source: FolderIncludeSource(folder: folder, displayFolder: ""))
            var general = fast
            general.readsPlainLines = false
            let a = fast.parse(file: file, bytes: bytes, fileOrigin: origin)
            let b = general.parse(file: file, bytes: bytes, fileOrigin: origin)
            #expect(a.records == b.records, "\(name)/\(file)")
            StreamingParseTests.expectSameExceptRecords(a, b)
        }
    }

    /// A carried owner with no owner before it, and the record limit reached on a plain
    /// line, report as they always have.
    @Test func plainLinesKeepTheRecordLimitAndTheCarriedOwnerRule() {
        let text = "$TTL 60\n  IN A 192.0.2.1\na IN A 192.0.2.1\nb IN A 192.0.2.2\nc IN A 192.0.2.3\n"
        let parsed = ZoneFileParser(limits: ZoneLimits(maximumRecords: 2))
            .parse(file: "l.test.zone", bytes: Array(text.utf8), fileOrigin: "l.test.")
        #expect(parsed.records.map(\.owner) == ["a.l.test."])
        #expect(parsed.diagnostics.map(\.description) == [
            "l.test.zone:2:3: error: record has no owner name and no previous owner to carry over",
            "l.test.zone:4:1: error: zone has more than 2 records (--max-zone-records); nothing after this line is read",
        ])
        #expect(parsed.stoppedAtLimit)
    }
}
