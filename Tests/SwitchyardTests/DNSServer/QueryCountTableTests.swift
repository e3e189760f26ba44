@testable import DNSServer
import Testing

/// The query counts' table: every key counted exactly, the table growing past half full,
/// keys kept across a flush while counted and dropped after a flush without a count.
@Suite struct QueryCountTableTests {
    static func key(_ i: Int) -> QueryCountTable.Key {
        QueryCountTable.Key(zone: UInt(i % 7) * 64, group: UInt(i) * 48, packed: UInt64(i % 3) | 1 << 63)
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

    @Test func packedFieldsComeBackUnchanged() {
        for (type, rcode, set, transport) in [(UInt16(1), UInt16(0), -1, Transport.udp), (28, 3, 0, .tcp), (65535, 4095, 70_000, .udp)] {
            let fields = QueryTally.unpack(QueryTally.pack(type: type, rcode: rcode, set: set, transport: transport))
            #expect(fields.type == type && fields.rcode == rcode && fields.set == set && fields.transport == transport)
        }
    }
}
