import DNSWire
import Testing
import Zones

/// After a load packs its routed groups, every group answers from the same records as the
/// sets say, now held in one byte array shared by all the zone's routed sets, with the
/// same health slots and flags.
@Suite struct RoutedGroupPackingTests {
    static let zone = CompactZoneTests.apex + """
        $HEALTHCHECK web-1 tcp://192.0.2.80:80
        www [weighted id=blue weight=3 health=web-1] A 192.0.2.1
        www [weighted id=blue weight=3 health=web-1] AAAA 2001:db8::1
        www [weighted id=green weight=1] A 192.0.2.2
        www [weighted id=green weight=1] A 192.0.2.3
        api [failover id=p role=primary health=web-1] A 198.51.100.1
        api [failover id=s role=secondary] A 198.51.100.2
        edge [multivalue id=a] TXT "first" "second"
        edge [multivalue id=b] TXT "third"
        short ALIAS www

        """

    /// What each routed set holds, as the zone text says: owner, type, id → records.
    static let expected: [String: [String]] = [
        "www A blue": ["192.0.2.1"], "www A green": ["192.0.2.2", "192.0.2.3"], "www AAAA blue": ["2001:db8::1"],
        "api A p": ["198.51.100.1"], "api A s": ["198.51.100.2"],
        "edge TXT a": ["\"first\" \"second\""], "edge TXT b": ["\"third\""],
    ]

    @Test func packedGroupsHoldTheirSetsRecordsInOneSharedArray() throws {
        let zone = try #require(ZoneFixtures.zone(Self.zone, origin: "example.test."))
        var groups: [RoutedGroup] = []
        for node in zone.trie.nodes { groups += node.groups }
        #expect(groups.count == 5)
        var storages = Set<UnsafeRawPointer>()
        var seen: [String: [String]] = [:]
        for group in groups {
            #expect(group.contents.count == group.sets.count)
            for (content, set) in zip(group.contents, group.sets) {
                switch (content, set.content) {
                case (.records(let packed), .records(let kept)):
                    let label = "\(group.owner.description.split(separator: ".")[0]) \(packed.type) \(set.routing.id)"
                    seen[label] = packed.records.map(\.presentation)
                    #expect(kept.records == packed.records && kept.ttl == packed.ttl, "\(label)")
                    // The contents and the sets both read the one shared array.
                    for data in [packed.data, kept.data] {
                        data.storage.withUnsafeBufferPointer { storages.insert(UnsafeRawPointer($0.baseAddress!)) }
                    }
                case (.alias(let a), .alias(let b)):
                    #expect(a == b && a.description == "www.example.test.")
                default:
                    Issue.record("\(group.owner): content of another kind than its set's")
                }
            }
            #expect(group.alwaysHealthy == group.sets.allSatisfy { $0.routing.healthCheckID == nil && !$0.routing.evaluateTargetHealth })
        }
        #expect(seen == Self.expected)
        #expect(storages.count == 1)
        let www = try #require(groups.first { $0.owner.description == "www.example.test." && $0.type == .a })
        #expect(www.plan.slots(of: 0).health >= 0 && www.plan.slots(of: 1).health < 0)
    }
}
