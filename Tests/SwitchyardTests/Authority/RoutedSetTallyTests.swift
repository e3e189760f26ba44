import DNSWire
import Routing
import Testing
import Zones

@testable import Authority

/// `RoutedSetTally`: bisection over the first draw (weighted) and the smaller grid
/// (multivalue) give what asking every point of the full 12,600-point grid gives.
@Suite struct RoutedSetTallyTests {
    static let head = """
        $ORIGIN example.test.
        $TTL 300
        @      IN SOA ns1 hostmaster 1 3600 900 1209600 60
               IN NS  ns1
        ns1    IN A   192.0.2.53

        """

    static func fullGrid(_ zones: ZoneSet, _ name: String, _ type: RecordType, health: any HealthView) -> [String?: Int] {
        let probe = RoutedSetTally.Probe(question: Question(name: try! DomainName(name, origin: .root), type: type),
                                         client: ClientNetwork.anyClient.context, authority: Authority(),
                                         snapshot: Authority.Snapshot(zones: zones, health: health), samples: AnswerDistribution.standardSamples)
        return Dictionary(uniqueKeysWithValues: probe.grid(AnswerDistribution.standardSamples).counts.map { ($0.key, $0.count) })
    }

    static func tally(_ zones: ZoneSet, _ name: String, _ type: RecordType, health: any HealthView) -> RoutedSetTally {
        RoutedSetTally.tally(Question(name: try! DomainName(name, origin: .root), type: type), client: ClientNetwork.anyClient.context,
                             authority: Authority(), snapshot: Authority.Snapshot(zones: zones, health: health))
    }

    @Test func bisectionGivesTheFullGridsCountsForRandomWeightsAndHealth() {
        var random = SplitMix64(seed: 7)
        var checked = 0
        for round in 0..<12 {
            let sets = 2 + Int(random.next(upperBound: UInt64(6)))
            var lines = ""
            var states: [String: Bool] = [:]
            for i in 0..<sets {
                let weight = Int(random.next(upperBound: UInt64(round % 4 == 0 ? 3 : 256)))
                lines += "$HEALTHCHECK h\(i) http://127.0.0.1:9/\n"
                lines += "w [weighted id=s\(i) weight=\(weight) health=h\(i)] 60 IN A 192.0.2.\(i + 1)\n"
                states["h\(i)"] = random.next(upperBound: UInt64(3)) != 0
            }
            // An ALIAS to the weighted name draws again for the target, whose choice is part
            // of the key: asked over the full grid.
            lines += "a [weighted id=x weight=\(1 + random.next(upperBound: UInt64(9)))] 60 IN ALIAS w\n"
            lines += "a [weighted id=y weight=\(1 + random.next(upperBound: UInt64(9)))] 60 IN A 192.0.2.99\n"
            let zones = ZoneFixtures.zoneSet(Self.head + lines, origin: "example.test.")
            let health = FixedHealth(states)
            for name in ["w.example.test.", "a.example.test."] {
                let fast = Self.tally(zones, name, .a, health: health)
                #expect(fast.samples == AnswerDistribution.standardSamples)
                #expect(Dictionary(uniqueKeysWithValues: fast.counts.map { ($0.key, $0.count) }) == Self.fullGrid(zones, name, .a, health: health),
                        "round \(round) \(name): \(lines)")
                checked += 1
            }
        }
        #expect(checked == 24)
    }

    @Test func multivalueOfFewerThanEightHealthySetsIsAskedOnceAndNineOnTheSmallerGrid() {
        var lines = ""
        for i in 0..<10 { lines += "$HEALTHCHECK h\(i) http://127.0.0.1:9/\nm [multivalue id=m\(i) health=h\(i)] 60 IN A 192.0.2.\(i + 1)\n" }
        let zones = ZoneFixtures.zoneSet(Self.head + lines, origin: "example.test.")
        let health = FixedHealth(["h0": false, "h3": false, "h9": false])
        let fast = Self.tally(zones, "m.example.test.", .a, health: health)
        #expect(fast.counts.map(\.key) == ["m1+m2+m4+m5+m6+m7+m8"] && fast.counts[0].count == fast.samples)
        #expect(Self.fullGrid(zones, "m.example.test.", .a, health: health) == ["m1+m2+m4+m5+m6+m7+m8": AnswerDistribution.standardSamples])
        // Nine healthy sets: eight of nine at random, each subset about one ninth.
        let nine = Self.tally(zones, "m.example.test.", .a, health: FixedHealth(["h0": false]))
        let full = Self.fullGrid(zones, "m.example.test.", .a, health: FixedHealth(["h0": false]))
        #expect(nine.samples == RoutedSetTally.fallbackSamples)
        #expect(nine.counts.count == 9 && full.count == 9)
        for (key, count) in nine.counts {
            let share = Double(count) / Double(nine.samples), reference = Double(full[key] ?? 0) / Double(AnswerDistribution.standardSamples)
            #expect(abs(share - reference) < 0.02, "\(key ?? "none")")
        }
    }

    @Test func anAnswerThatDrawsNothingIsAskedOnce() {
        let zones = ZoneFixtures.zoneSet(Self.head + "$HEALTHCHECK h http://127.0.0.1:9/\nf [failover id=p role=primary health=h] 60 IN A 192.0.2.1\n", origin: "example.test.")
        let tally = Self.tally(zones, "f.example.test.", .a, health: AllHealthy())
        #expect(tally.counts.count == 1 && tally.counts[0].key == "p" && tally.counts[0].count == tally.samples)
        let none = Self.tally(zones, "f.example.test.", .aaaa, health: AllHealthy())
        #expect(none.counts.map(\.key) == [nil])
    }
}
