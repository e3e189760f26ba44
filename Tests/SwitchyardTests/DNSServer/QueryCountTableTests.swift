import Foundation
@testable import DNSServer
import Testing

/// The query counts' table: every key counted exactly, the table growing past half full,
/// keys kept across a flush while counted and dropped after a flush without a count.
@Suite struct QueryCountTableTests {
    static func key(_ i: Int) -> QueryCountTable.Key {
        QueryCountTable.Key(zone: UInt(i % 7 + 1) * 64, group: UInt(i) * 48, packed: UInt64(i % 3) | 1 << 63)
    }

    @Test func everyKeyIsCountedExactlyAsTheTableGrows() {
        var table = QueryCountTable(capacity: 16)
        for round in 1...3 {
            for i in 0..<5_000 { table.add(round == 1 ? i + 1 : 1, to: Self.key(i), zone: nil, group: nil) }
        }
        #expect(table.occupied == 5_000)
        // At most half full: an empty slot always ends a probe.
        #expect(table.capacity >= 10_000)
        var seen = 0
        for slot in 0..<table.capacity where table.isUsed(slot) {
            let i = Int(table.entries[slot].key.group / 48)
            #expect(table.entries[slot].key == Self.key(i))
            #expect(table.entries[slot].count == i + 1 + 2)
            seen += 1
        }
        #expect(seen == 5_000)
    }

    @Test func aFlushKeepsCountedKeysAtZeroAndDropsTheOthersNextTime() {
        var table = QueryCountTable()
        for i in 0..<1_000 { table.add(1, to: Self.key(i), zone: nil, group: nil) }
        table.endFlush()
        #expect(table.occupied == 1_000)
        #expect(table.entries.allSatisfy { $0.count == 0 })
        // Only the even keys are asked again: the odd ones go at the next flush.
        for i in stride(from: 0, to: 1_000, by: 2) { table.add(1, to: Self.key(i), zone: nil, group: nil) }
        table.endFlush()
        #expect(table.occupied == 500)
        // Every remaining key is still found after the removals moved keys back.
        for i in stride(from: 0, to: 1_000, by: 2) { table.add(i, to: Self.key(i), zone: nil, group: nil) }
        #expect(table.occupied == 500)
        for slot in 0..<table.capacity where table.isUsed(slot) {
            #expect(table.entries[slot].count == Int(table.entries[slot].key.group / 48))
        }
        for i in 0..<1_000 { table.add(1, to: Self.key(i), zone: nil, group: nil) }
        #expect(table.occupied == 1_000)
        #expect(table.entries.reduce(0) { $0 + $1.count } == stride(from: 0, to: 1_000, by: 2).reduce(0, +) + 1_000)
    }

    @Test func keysOfAServedZoneStayUncountedUntilTheIdleLimit() {
        var table = QueryCountTable()
        // Keys 0..<700 belong to zones 1...7 (identities 64...448); zone 64 is served.
        for i in 0..<700 { table.add(1, to: Self.key(i), zone: nil, group: nil) }
        let served: (UInt) -> Bool = { $0 == 64 }
        let servedKeys = (0..<700).filter { Self.key($0).zone == 64 }
        #expect(!servedKeys.isEmpty)
        table.endFlush(isServed: served)
        // The first flush counted them all: every key stays.
        #expect(table.occupied == 700)
        table.endFlush(isServed: served)
        // A flush uncounted: only the served zone's keys stay.
        #expect(table.occupied == servedKeys.count)
        for _ in 2..<Int(QueryCountTable.idleLimit) { table.endFlush(isServed: served) }
        #expect(table.occupied == servedKeys.count)
        // One key is counted again; at the next flush the others reach the limit and go,
        // and the one counted stays.
        table.add(1, to: Self.key(servedKeys[0]), zone: nil, group: nil)
        table.endFlush(isServed: served)
        #expect(table.occupied == 1)
        let left = (0..<table.capacity).filter { table.isUsed($0) }.map { table.entries[$0].key }
        #expect(left == [Self.key(servedKeys[0])])
    }

    @Test func packedFieldsComeBackUnchanged() {
        for (type, rcode, set, transport) in [(UInt16(1), UInt16(0), -1, Transport.udp), (28, 3, 0, .tcp), (65535, 4095, 70_000, .udp)] {
            let fields = QueryTally.unpack(QueryTally.pack(type: type, rcode: rcode, set: set, transport: transport))
            #expect(fields.type == type && fields.rcode == rcode && fields.set == set && fields.transport == transport)
        }
    }
}

/// A query counts' table of many megabytes asks the kernel for huge pages, where the
/// kernel offers them (`madvise` or `always` mode of transparent huge pages).
@Suite struct QueryCountTableHugePageTests {
    static var hugePagesOffered: Bool {
        guard let mode = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8) else { return false }
        return mode.contains("[always]") || mode.contains("[madvise]")
    }

    /// The `AnonHugePages` of the mapping holding `address`, in kB, from /proc/self/smaps.
    static func hugeKilobytes(at address: UInt) throws -> Int? {
        // Read to the end: a file of /proc has no size for a one-shot read to go by.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { return nil }
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), fields.count >= 5 {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if inside, fields.first == "AnonHugePages:", fields.count >= 2 {
                return Int(fields[1])
            }
        }
        return nil
    }

    @Test(.enabled(if: hugePagesOffered, "the kernel offers no transparent huge pages"),
          arguments: [1 << 16, 1 << 18])
    func aLargeTableIsBackedByHugePages(capacity: Int) throws {
        var table = QueryCountTable(capacity: capacity)
        #expect(table.capacity * MemoryLayout<QueryCountTable.Entry>.stride >= QueryCountTable.hugePageThreshold)
        // The entries start on a 2 MiB page, and the kernel backed it with a huge page.
        let huge2M: UInt = 2 << 20
        let base = UInt(bitPattern: table.entries.baseAddress)
        #expect(base % huge2M == 0)
        let huge = try #require(try Self.hugeKilobytes(at: base))
        #expect(huge >= 2048)
        // Counting still works on the huge pages.
        for i in 0..<1_000 { table.add(1, to: QueryCountTableTests.key(i), zone: nil, group: nil) }
        #expect(table.occupied == 1_000)
    }

    @Test func aSmallTableTakesNoHugePage() {
        let table = QueryCountTable(capacity: 256)
        #expect(table.capacity * MemoryLayout<QueryCountTable.Entry>.stride < QueryCountTable.hugePageThreshold)
        #expect(table.entries.count == 256)
        #expect(table.entries.allSatisfy { $0.key.packed == 0 && $0.count == 0 })
    }
}
