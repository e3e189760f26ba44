import DNSWire
import Foundation
import Testing
import ZoneFile
import Zones
import ZoneSources

/// Included files served from memory, counting how often each is read.
final class MemoryIncludes: ZoneFileSource, @unchecked Sendable {
    let files: [String: String]
    private(set) var reads = 0

    init(_ files: [String: String]) { self.files = files }

    func include(_ path: String, from includingFile: String) throws(IncludeError) -> IncludedFile {
        guard let text = files[path] else { throw IncludeError("cannot open $INCLUDE file '\(path)'") }
        reads += 1
        return IncludedFile(displayName: path, identity: path, bytes: Array(text.utf8))
    }
}

/// SPEC §5: `$INCLUDE` fan-out and the size of one zone are bounded; crossing a bound is
/// an error at the directive or record that crosses it, and the parse stops there.
@Suite struct ZoneLimitsTests {
    static func parse(_ text: String, includes: [String: String] = [:], limits: ZoneLimits) -> (ParsedZoneFile, MemoryIncludes) {
        let source = MemoryIncludes(includes)
        let parsed = ZoneFileParser(source: source, limits: limits)
            .parse(file: "fan.test.zone", bytes: Array(text.utf8), fileOrigin: "fan.test.")
        return (parsed, source)
    }

    /// A file that includes `level1.inc` `width` times, which includes `leaf.inc` `width`
    /// times: width + width² inclusions of small files.
    static func fanOut(width: Int) -> (String, [String: String]) {
        let repeated = { (name: String) in String(repeating: "$INCLUDE \(name)\n", count: width) }
        return ("$TTL 60\n" + repeated("level1.inc") + "after IN A 192.0.2.9\n",
                ["level1.inc": repeated("leaf.inc"), "leaf.inc": "leaf IN TXT \"x\"\n"])
    }

    @Test func everyInclusionCountsAndTheOneOverTheLimitStopsTheParse() {
        let (text, files) = Self.fanOut(width: 10)
        let (parsed, source) = Self.parse(text, includes: files, limits: ZoneLimits(maximumIncludes: 25))
        // Inclusions 1 (level1), 2–11 (leaves), 12 (level1), 13–22, 23 (level1), 24, 25: the
        // 26th is the third line of the third level1.inc.
        #expect(parsed.diagnostics.map(\.description) == [
            "level1.inc:3:10: error: $INCLUDE of leaf.inc exceeds the limit of 25 includes per zone (--max-includes); nothing after it is read",
        ])
        #expect(source.reads == 25)
        #expect(parsed.stoppedAtLimit)
        #expect(parsed.files.count == 26)
        #expect(parsed.records.count == 22)
        #expect(!parsed.records.contains { $0.owner == "after.fan.test." })
    }

    @Test func theDefaultLimitStopsAMillionFoldFanOutAtOnce() {
        // Three levels of 100: a million inclusions unbounded; 1,024 with the default.
        let repeated = { (name: String) in String(repeating: "$INCLUDE \(name)\n", count: 100) }
        let start = ContinuousClock.now
        let (parsed, source) = Self.parse("$TTL 60\n" + repeated("a.inc"),
                                          includes: ["a.inc": repeated("b.inc"), "b.inc": repeated("c.inc"), "c.inc": "c IN TXT \"x\"\n"],
                                          limits: .standard)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(source.reads == ZoneLimits.standard.maximumIncludes)
        #expect(parsed.diagnostics.count == 1)
        #expect(parsed.diagnostics.first?.message.contains("exceeds the limit of 1024 includes per zone") == true)
        #expect(ZoneLimits.standard.maximumIncludes == 1024)
    }

    @Test func theRecordOverTheLimitIsTheErrorAndNothingAfterIsRead() {
        let text = "$TTL 60\n" + (1...10).map { "h\($0) IN A 192.0.2.\($0)" }.joined(separator: "\n") + "\n"
        let (parsed, _) = Self.parse(text, limits: ZoneLimits(maximumRecords: 6))
        #expect(parsed.diagnostics.map(\.description) == [
            "fan.test.zone:8:1: error: zone has more than 6 records (--max-zone-records); nothing after this line is read",
        ])
        #expect(parsed.records.map(\.owner.description) == (1...6).map { "h\($0).fan.test." })
    }

    @Test func recordsInIncludedFilesCountTowardsTheZone() {
        let (text, files) = Self.fanOut(width: 4)
        let (parsed, _) = Self.parse(text, includes: files, limits: ZoneLimits(maximumRecords: 5))
        #expect(parsed.diagnostics.map(\.description) == [
            "leaf.inc:1:1: error: zone has more than 5 records (--max-zone-records); nothing after this line is read",
        ])
        #expect(parsed.records.count == 5)
    }

    @Test func bytesOfIncludedFilesCountTowardsTheZone() {
        let (text, files) = Self.fanOut(width: 10)
        let top = text.utf8.count, level1 = files["level1.inc"]!.utf8.count, leaf = files["leaf.inc"]!.utf8.count
        #expect((top, level1, leaf) == (229, 180, 16))
        // Room for the first level1.inc with its ten leaves, the second with three.
        let limit = top + level1 + 10 * leaf + level1 + 3 * leaf
        let (parsed, _) = Self.parse(text, includes: files, limits: ZoneLimits(maximumBytes: limit))
        #expect(parsed.diagnostics.map(\.description) == [
            "level1.inc:4:10: error: $INCLUDE of leaf.inc brings the zone to \(limit + leaf) bytes, over the limit of \(limit) (--max-zone-bytes); nothing after it is read",
        ])
        #expect(parsed.records.count == 13)
    }

    @Test func aZoneFileOverTheByteLimitIsRefusedBeforeItIsRead() throws {
        let folder = try TemporaryFolder(prefix: "limits")
        defer { folder.remove() }
        let text = "$TTL 60\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n"
        try text.write(to: folder.file("big.test.zone"), atomically: true, encoding: .utf8)
        let path = folder.file("big.test.zone").path
        let refused = try ZoneSetLoader(limits: ZoneLimits(maximumBytes: 40)).load(from: FolderZoneSource(paths: [path])).reports
        #expect(refused.first?.diagnostics.map(\.description) == [
            "\(path):1:1: error: zone file of \(text.utf8.count) bytes exceeds the limit of 40 bytes per zone (--max-zone-bytes)",
        ])
        #expect(refused.first?.zone == nil)
        let loaded = try ZoneSetLoader(limits: ZoneLimits(maximumBytes: text.utf8.count)).load(from: FolderZoneSource(paths: [path])).reports
        #expect(loaded.first?.succeeded == true)
    }

    @Test func aZoneStoppedAtALimitIsNotBuiltAndReportsOnlyTheLimit() throws {
        let folder = try TemporaryFolder(prefix: "limits")
        defer { folder.remove() }
        // The fan-out comes before the SOA: what was read has no SOA, which is not news.
        let zone = String(repeating: "$INCLUDE a.inc\n", count: 3) + "$TTL 60\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n"
        try zone.write(to: folder.file("fan.test.zone"), atomically: true, encoding: .utf8)
        try "a 60 IN TXT \"a\"\n".write(to: folder.file("a.inc"), atomically: true, encoding: .utf8)
        let path = folder.file("fan.test.zone").path
        let reports = try ZoneSetLoader(limits: ZoneLimits(maximumIncludes: 2)).load(from: FolderZoneSource(paths: [path])).reports
        #expect(reports.first?.diagnostics.map(\.description) == [
            "\(path):3:10: error: $INCLUDE of a.inc exceeds the limit of 2 includes per zone (--max-includes); nothing after it is read",
        ])
        #expect(reports.first?.zone == nil)
    }
}
