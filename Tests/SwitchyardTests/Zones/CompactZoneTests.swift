import Authority
import DNSWire
import NIOCore
import Testing
import ZoneFile
import Zones

/// The compact zone: names in one table, node facts side by side, plain records as ranges
/// of one byte arena. What it must keep from the object-per-name zone it replaced: case-
/// insensitive lookups that keep each name's spelling, RFC 2181 set semantics, compressed
/// names in answers — and a bounded cost per name.
@Suite struct CompactZoneTests {
    static let apex = """
        $ORIGIN example.test.
        $TTL 300
        @ IN SOA ns1 hostmaster 1 3600 600 86400 60
        @ NS ns1
        ns1 A 192.0.2.53

        """

    @Test func namesAreFoundWhateverTheirCaseAndKeepTheirSpelling() throws {
        let zone = try #require(ZoneFixtures.zone(Self.apex + "WWW.Mixed A 192.0.2.1\nlower A 192.0.2.2\n", origin: "example.test."))
        let mixed = try #require(zone.trie.find(try DomainName("www.mixed.example.test.", origin: .root)))
        #expect(zone.trie.node(mixed).name.description == "WWW.Mixed.example.test.")
        let lower = try #require(zone.trie.find(try DomainName("LOWER.EXAMPLE.TEST.", origin: .root)))
        #expect(zone.trie.node(lower).name.description == "lower.example.test.")
        // The empty non-terminal made for WWW.Mixed keeps the spelling it was made with.
        let parent = zone.trie.node(mixed).parent
        #expect(zone.trie.node(parent).name.description == "Mixed.example.test.")
        #expect(zone.trie.node(parent).isEmptyNonTerminal)
        var asker = Asker(ZoneSet(zones: [zone]))
        #expect(asker.ask("www.MIXED.example.test.", .a).answerLines == ["www.MIXED.example.test. 300 IN A 192.0.2.1"])
    }

    @Test func theNameTableGrowsFarPastItsFirstSizeAndKeepsParents() throws {
        var text = Self.apex
        for i in 0..<3000 { text += "h\(i).r\(i % 7) A 198.51.100.\(i % 250)\n" }
        let zone = try #require(ZoneFixtures.zone(text, origin: "example.test."))
        // 3000 hosts, 7 empty non-terminals, apex and ns1.
        #expect(zone.trie.count == 3009)
        for i in stride(from: 0, to: 3000, by: 97) {
            let node = try #require(zone.trie.find(try DomainName("h\(i).r\(i % 7).example.test.", origin: .root)))
            let parent = zone.trie.node(node).parent
            #expect(zone.trie.node(parent).name.description == "r\(i % 7).example.test.")
            #expect(zone.trie.node(parent).isEmptyNonTerminal)
            #expect(zone.trie.node(node).rrset(.a)?.records == [.a(IPv4Address(UInt32(0xC633_6400) + UInt32(i % 250)))])
        }
        #expect(zone.trie.find(try DomainName("h3000.r0.example.test.", origin: .root)) == nil)
    }

    @Test func recordsEqualIgnoringTheCaseOfTheirNamesAreOneRecordButTextIsNot() throws {
        let zone = try #require(ZoneFixtures.zone(Self.apex + """
            mx MX 10 mail.example.test.
            mx MX 10 MAIL.Example.Test.
            mx MX 20 mail.example.test.
            txt TXT "a"
            txt TXT "A"
            txt TXT "a"

            """, origin: "example.test."))
        let mx = zone.trie.node(try #require(zone.trie.find(try DomainName("mx.example.test.", origin: .root))))
        #expect(mx.rrset(.mx)?.count == 2)
        let txt = zone.trie.node(try #require(zone.trie.find(try DomainName("txt.example.test.", origin: .root))))
        #expect(txt.rrset(.txt)?.records.map(\.presentation) == ["\"a\"", "\"A\""])
        // SOA, NS, ns1's A, two MX, two TXT.
        #expect(zone.recordCount == 7)
    }

    @Test func namesInStoredRecordDataAreCompressedInAnswers() throws {
        let zone = try #require(ZoneFixtures.zone(Self.apex + "@ MX 10 mail\nmail A 192.0.2.25\n", origin: "example.test."))
        var asker = Asker(ZoneSet(zones: [zone]))
        let response = asker.ask("example.test.", .mx)
        let query = try Query(decoding: Message.query(id: 7, name: try DomainName("example.test.", origin: .root), type: .mx).encode())
        var buffer = ByteBuffer()
        ResponseEncoder.encode(response, to: query, limit: 512, into: &buffer)
        // Header 12; question example.test. 14 + 4; MX: owner pointer 2, fixed 10, preference
        // 2, "mail" 5 and a pointer 2; its A in additional: a pointer to "mail" 2, fixed 10,
        // address 4. Stored uncompressed, the exchange would take 19 octets instead of 7.
        #expect(buffer.readableBytes == 12 + 18 + 21 + 16)
        let message = try Message(decoding: buffer)
        #expect(message.answers.map(\.rdata) == [.mx(MXData(preference: 10, exchange: try DomainName("mail.example.test.", origin: .root)))])
        #expect(message.additional.map(\.rdata) == [.a(IPv4Address(0xC000_0219))])
    }

    @Test func anSRVTargetIsWrittenWhole() throws {
        let zone = try #require(ZoneFixtures.zone(Self.apex + "_dns._udp SRV 1 2 53 ns1\n", origin: "example.test."))
        var asker = Asker(ZoneSet(zones: [zone]))
        let response = asker.ask("_dns._udp.example.test.", .srv)
        let query = try Query(decoding: Message.query(id: 8, name: try DomainName("_dns._udp.example.test.", origin: .root), type: .srv).encode())
        var buffer = ByteBuffer()
        ResponseEncoder.encode(response, to: query, limit: 512, into: &buffer)
        // RFC 2782: no compression of the target. Header 12; question 24 + 4; SRV: owner
        // pointer 2, fixed 10, priority/weight/port 6, ns1.example.test. 18; its A in
        // additional: a pointer to the target 2, fixed 10, address 4.
        #expect(buffer.readableBytes == 12 + 28 + 36 + 16)
        let message = try Message(decoding: buffer)
        #expect(message.answers.map(\.rdata) == [.srv(SRVData(priority: 1, weight: 2, port: 53, target: try DomainName("ns1.example.test.", origin: .root)))])
        #expect(message.additional.map(\.rdata) == [.a(IPv4Address(0xC000_0235))])
    }

    @Test func aPlainNameCostsAFewDozenBytesBesidesItsRecords() throws {
        var text = Self.apex
        for i in 0..<20000 { text += "host\(i) A 203.0.113.\(i % 250)\n" }
        let zone = try #require(ZoneFixtures.zone(text, origin: "example.test."))
        // Per name: about 24 octets of name, 6 of A record data, 16 for its RRset entry, 41
        // for node facts and the index. Well under the ~900 bytes a name cost as objects.
        let perName = Double(zone.trie.storageBytes) / Double(zone.trie.count)
        #expect(perName < 110, "\(perName) bytes per name")
    }
}
