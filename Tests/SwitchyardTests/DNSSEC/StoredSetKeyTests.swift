import DNSSEC
import DNSWire
import Testing

extension DNSSECTests {
    @Suite struct StoredSetKeyTests {
        @Test func keyNamesOneStoredRangeUnderOneOwnerCaseInsensitively() {
            let stored = RecordDataBytes(records: [.a(IPv4Address("192.0.2.1")!), .a(IPv4Address("192.0.2.2")!)])
            let key = StoredSetKey(owner: "www.example.test.", type: .a, ttl: 60, data: stored)
            #expect(key == StoredSetKey(owner: "WWW.Example.TEST.", type: .a, ttl: 60, data: stored))
            #expect(key.hashValue == StoredSetKey(owner: "WWW.Example.TEST.", type: .a, ttl: 60, data: stored).hashValue)
            // Another owner (an ALIAS answering with the target's set), TTL or type is another set.
            #expect(key != StoredSetKey(owner: "alias.example.test.", type: .a, ttl: 60, data: stored))
            #expect(key != StoredSetKey(owner: "www.example.test.", type: .a, ttl: 61, data: stored))
            #expect(key != StoredSetKey(owner: "www.example.test.", type: .txt, ttl: 60, data: stored))
            // A sub-range of the same storage (one record of the two) is another set.
            let first = RecordDataBytes(storage: stored.storage, start: 0, end: 6, count: 1)
            #expect(key != StoredSetKey(owner: "www.example.test.", type: .a, ttl: 60, data: first))
        }

        @Test func equalRecordsInOtherStorageAreNotTheSameKey() {
            let records: [RData] = [.a(IPv4Address("192.0.2.1")!)]
            let one = RecordDataBytes(records: records)
            let other = RecordDataBytes(records: records)
            #expect(one.storage == other.storage)
            // Both keys live (and hold their storage) at once, so the buffers are distinct.
            let a = StoredSetKey(owner: "www.example.test.", type: .a, ttl: 60, data: one)
            let b = StoredSetKey(owner: "www.example.test.", type: .a, ttl: 60, data: other)
            #expect(a != b)
            #expect(Set([a, b]).count == 2)
        }

        @Test func nsecTypeBitmapMatchesRFC4034Example() {
            // RFC 4034 §4.3: A MX RRSIG NSEC TYPE1234.
            let expected: [UInt8] = [0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03,
                                     0x04, 0x1b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x20]
            #expect(CompactDenial.typeBitmap([.a, .mx, .rrsig, .nsec, RecordType(1234)]) == expected)
            // Order and repeats do not matter.
            #expect(CompactDenial.typeBitmap([RecordType(1234), .nsec, .a, .rrsig, .mx, .a]) == expected)
        }
    }
}
