import DNSSEC
import DNSWire
import Testing

extension DNSSECTests {
    @Suite struct CanonicalRRSetTests {
        static func data(_ records: [RData]) -> RecordDataBytes { RecordDataBytes(records: records) }

        @Test func recordsAreSortedDeduplicatedAndLowerCasedWhateverTheirStoredOrder() throws {
            let owner: DomainName = "WWW.Example.TEST."
            let a1 = RData.a(IPv4Address("192.0.2.1")!)
            let a2 = RData.a(IPv4Address("192.0.2.2")!)
            let expected = CanonicalRRSet.octets(owner: "www.example.test.", type: .a, ttl: 60, records: [[192, 0, 2, 1], [192, 0, 2, 2]])
            #expect(!expected.isEmpty)
            #expect(CanonicalRRSet.octets(owner: owner, type: .a, ttl: 60, data: Self.data([a1, a2])) == expected)
            #expect(CanonicalRRSet.octets(owner: owner, type: .a, ttl: 60, data: Self.data([a2, a1, a2])) == expected)
            #expect(Array(expected.prefix(18)) == DomainName("www.example.test.").wire)
        }

        @Test func namesInsideRDataAreLowerCasedForTheTypesThatHaveThem() throws {
            let target: DomainName = "Mail.Example.TEST."
            let one = CanonicalRRSet.octets(owner: "example.test.", type: .mx, ttl: 60, data: Self.data([.mx(MXData(preference: 10, exchange: target))]))
            #expect(Array(one.suffix(target.wire.count)) == DomainName("mail.example.test.").wire)
            let txt = CanonicalRRSet.octets(owner: "example.test.", type: .txt, ttl: 60, data: Self.data([.txt(TXTData(strings: [Array("AbC".utf8)]))]))
            #expect(Array(txt.suffix(3)) == Array("AbC".utf8))
        }
    }
}
