import DNSWire
import Testing
@testable import Zones

/// `ZoneSet.locate` hashes a name once for both lookups the answer needs: it must find
/// what `zoneIndex(for:)` and then `closestMatch` find separately — the deepest zone,
/// the node or its closest encloser, the offset — for every kind of name.
@Suite struct ZoneSetLocateTests {
    static func zones() throws -> ZoneSet {
        let parent = try #require(ZoneFixtures.zone("""
            $ORIGIN example.test.
            @ 300 IN SOA ns1 hostmaster 1 3600 600 86400 60
            @ 300 NS ns1
            ns1 300 A 192.0.2.53
            www 300 A 192.0.2.1
            a.b.c 300 TXT "deep"
            *.wild 300 A 192.0.2.9
            child 300 NS ns.child
            ns.child 300 A 192.0.2.54

            """, origin: "example.test."))
        let child = try #require(ZoneFixtures.zone("""
            $ORIGIN sub.example.test.
            @ 300 IN SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 60
            @ 300 NS ns1.example.test.
            host 300 A 198.51.100.1

            """, origin: "sub.example.test."))
        return ZoneSet(zones: [parent, child])
    }

    @Test(arguments: ["example.test.", "www.example.test.", "WWW.Example.TEST.", "nothing.example.test.", "x.y.www.example.test.",
                      "c.example.test.", "b.c.example.test.", "z.a.b.c.example.test.", "any.wild.example.test.",
                      "host.child.example.test.", "child.example.test.", "sub.example.test.", "host.sub.example.test.",
                      "gone.sub.example.test.", "x.host.sub.example.test."])
    func findsWhatTheTwoLookupsFind(name: String) throws {
        let zones = try Self.zones()
        let domain = try DomainName(name, origin: .root)
        let located = try #require(zones.locate(domain))
        let zoneIndex = try #require(zones.zoneIndex(for: domain))
        #expect(located.zoneIndex == zoneIndex)
        let zone = zones.zones[zoneIndex]
        #expect(located.match == zone.trie.closestMatch(domain, apexLabels: zone.originLabels))
    }

    @Test func theDeepestZoneAnswersAndOutsideNamesAreNotLocated() throws {
        let zones = try Self.zones()
        let inChild = try #require(zones.locate(try DomainName("host.sub.example.test.", origin: .root)))
        #expect(zones.zones[inChild.zoneIndex].origin.description == "sub.example.test.")
        #expect(inChild.match.exact)
        let missing = try #require(zones.locate(try DomainName("a.nothing.example.test.", origin: .root)))
        #expect(!missing.match.exact && missing.match.node == 0)
        #expect(zones.locate(try DomainName("example.org.", origin: .root)) == nil)
        #expect(zones.locate(.root) == nil)
    }
}
