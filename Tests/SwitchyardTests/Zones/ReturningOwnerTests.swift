import DNSWire
import Testing
import ZoneFile
import Zones

/// The loader freezes an owner's records when its lines end; an owner that comes back
/// later in the file must still get one RRset per type, with RFC 2181 set semantics and
/// messages that name where the set was first written, as if the file were grouped.
@Suite struct ReturningOwnerTests {
    static let apex = CompactZoneTests.apex

    static func load(_ text: String) -> (zone: Zone?, diagnostics: [Diagnostic]) {
        let parsed = ZoneFileParser().parse(file: "example.test.zone", bytes: Array(text.utf8), fileOrigin: try! DomainName("example.test.", origin: .root))
        return ZoneLoader().load(parsed)
    }

    @Test func recordsOfAnOwnerThatComesBackJoinItsSetsInFileOrder() throws {
        let interleaved = Self.load(Self.apex + """
            www A 192.0.2.1
            www TXT "first"
            mail A 192.0.2.25
            www A 192.0.2.2
            www A 192.0.2.1
            www AAAA 2001:db8::1
            mail A 192.0.2.26
            www TXT "second"

            """)
        let grouped = Self.load(Self.apex + """
            www A 192.0.2.1
            www TXT "first"
            www A 192.0.2.2
            www AAAA 2001:db8::1
            www TXT "second"
            mail A 192.0.2.25
            mail A 192.0.2.26

            """)
        let zone = try #require(interleaved.zone)
        let reference = try #require(grouped.zone)
        #expect(interleaved.diagnostics.isEmpty)
        #expect(zone.recordCount == reference.recordCount)
        for name in ["www.example.test.", "mail.example.test.", "example.test."] {
            let node = try #require(zone.trie.find(try DomainName(name, origin: .root)))
            let expected = try #require(reference.trie.find(try DomainName(name, origin: .root)))
            let sets = zone.trie.node(node).rrsets
            #expect(!sets.isEmpty)
            #expect(sets.map(\.type) == reference.trie.node(expected).rrsets.map(\.type))
            #expect(sets.map(\.records) == reference.trie.node(expected).rrsets.map(\.records))
        }
        let www = try #require(zone.trie.find(try DomainName("www.example.test.", origin: .root)))
        #expect(zone.trie.node(www).rrset(.a)?.records == [.a(IPv4Address(0xC000_0201)), .a(IPv4Address(0xC000_0202))])
    }

    @Test func aReturningOwnersConflictsNameTheLineWhereItsSetBegan() throws {
        let result = Self.load(Self.apex + """
            alias CNAME www
            www A 192.0.2.1
            alias CNAME other
            www A 192.0.2.2 ; 300 by default
            www 60 A 192.0.2.3
            @ SOA ns1 hostmaster 2 3600 600 86400 60

            """)
        #expect(result.zone == nil)
        let messages = result.diagnostics.map(\.description)
        #expect(messages.contains { $0.contains("second CNAME at alias.example.test.") && $0.contains("on line 6") && $0.contains(":8:") })
        #expect(messages.contains { $0.contains("TTL 60 differs from the A set's TTL 300 (line 7)") && $0.contains(":10:") })
        #expect(messages.contains { $0.contains("second SOA record at example.test. (the first is on line 3)") && $0.contains(":11:") })
        #expect(messages.count == 3)
    }

    @Test func aCNAMEThatComesBackToAnOwnerWithDataIsRefused() throws {
        let result = Self.load(Self.apex + """
            www A 192.0.2.1
            mail A 192.0.2.25
            www CNAME mail

            """)
        #expect(result.zone == nil)
        #expect(result.diagnostics.contains { $0.severity == .error && $0.description.contains("CNAME at www.example.test. cannot share its name with other data (A)") })
    }
}
