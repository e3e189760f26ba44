import Authority
import DNSWire
import Routing
import Testing
import ZoneFile
import Zones

/// SPEC §5: an ALIAS tree's health is settled when zones or health change, not searched
/// per query. A tree of evaluated ALIASes where every level is a group of two sets that
/// both point at the next level took 2^levels health walks per query (11 levels: 15 s).
@Suite struct AliasHealthTableTests {
    static let header = """
    $TTL 300
    @ IN SOA ns h 1 7200 900 1209600 60
    @ IN NS ns
    ns IN A 192.0.2.53
    $HEALTHCHECK h1 http://192.0.2.1/
    """

    /// `l0` → `l1` → … → `lN`, each level two weighted ALIAS sets with
    /// evaluate-target-health to the next; `lN` holds the address.
    static func tree(levels: Int) -> String {
        var lines = [header]
        for level in 0..<levels {
            for id in ["a", "b"] {
                lines.append("l\(level) [weighted id=\(id) weight=1 evaluate-target-health=true] 60 IN ALIAS l\(level + 1)")
            }
        }
        lines.append("l\(levels) [weighted id=leaf weight=1 health=h1] 60 IN A 192.0.2.7")
        return lines.joined(separator: "\n")
    }

    /// The zone as loaded, without the zone-set checks (which refuse chains longer than
    /// answers follow), as a zone set that escaped validation would be served.
    static func unvalidated(_ text: String) throws -> ZoneSet {
        let parsed = ZoneFileParser().parse(file: "alias.test.zone", bytes: Array(text.utf8), fileOrigin: "alias.test.")
        let (zone, diagnostics) = ZoneLoader().load(parsed)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        return ZoneSet(zones: [try #require(zone)])
    }

    /// Asks `count` times, each with a fresh snapshot as after a health change, and
    /// returns the slowest query with its table build.
    static func slowest(_ asker: inout Asker, _ name: String, count: Int) -> (Duration, Response) {
        var worst = Duration.zero
        var last: Response? = nil
        for _ in 0..<count {
            let start = ContinuousClock.now
            last = asker.ask(name, .a)
            worst = max(worst, ContinuousClock.now - start)
        }
        return (worst, last!)
    }

    @Test func elevenLevelTreeOfEvaluatedAliasesAnswersInBoundedTime() {
        var asker = Asker(ZoneFixtures.zoneSet(Self.tree(levels: 11), origin: "alias.test."),
                          health: FixedHealth(["h1": true]))
        let (worst, response) = Self.slowest(&asker, "l0.alias.test.", count: 20)
        #expect(response.answerLines == ["l0.alias.test. 60 IN A 192.0.2.7"])
        // Exponential before: about 15 s for one query (debug build). Now a few table rows:
        // well under a millisecond alone; the bound leaves room for a busy machine.
        #expect(worst < .milliseconds(500), "slowest query took \(worst)")
    }

    @Test func twentyLevelTreeIsRefusedAtLoadYetAnswersInBoundedTimeIfServed() throws {
        let text = Self.tree(levels: 20)
        let parsed = ZoneFileParser().parse(file: "alias.test.zone", bytes: Array(text.utf8), fileOrigin: "alias.test.")
        let zone = try #require(ZoneLoader().load(parsed).zone)
        let problems = ZoneSetValidator.validate([zone]).map(\.diagnostic.description)
        #expect(problems.contains("alias.test.zone:6:1: error: ALIAS chain from l0.alias.test. is 20 hops long (l0.alias.test. → l1.alias.test. → l2.alias.test. → l3.alias.test. → …); answers follow at most 12"),
                "\(problems)")

        var asker = Asker(try Self.unvalidated(text), health: FixedHealth(["h1": true]))
        let (worst, response) = Self.slowest(&asker, "l0.alias.test.", count: 20)
        // Answers stop following after 12 hops; l8 is 12 hops from the address.
        #expect(response.rcode == .noError && response.answer.isEmpty)
        #expect(asker.ask("l8.alias.test.", .a).answerLines == ["l8.alias.test. 60 IN A 192.0.2.7"])
        #expect(worst < .milliseconds(500), "slowest query took \(worst)")
    }

    @Test func aHealthChangeFlipsTheAliasAnswerAtOnce() {
        let zones = ZoneFixtures.zoneSet(Self.header + """

        www [failover id=p role=primary evaluate-target-health=true] 60 IN ALIAS app
        www [failover id=s role=secondary] 60 IN A 198.51.100.1
        app [weighted id=a weight=1 evaluate-target-health=true] 60 IN ALIAS pool
        pool [weighted id=a weight=1 health=h1] 60 IN A 192.0.2.1
        """, origin: "alias.test.")
        var asker = Asker(zones, health: FixedHealth(["h1": true]))
        #expect(asker.ask("www.alias.test.", .a).answerLines == ["www.alias.test. 60 IN A 192.0.2.1"])
        asker.health = FixedHealth(["h1": false])
        #expect(asker.ask("www.alias.test.", .a).answerLines == ["www.alias.test. 60 IN A 198.51.100.1"])
        asker.health = FixedHealth(["h1": true])
        #expect(asker.ask("www.alias.test.", .a).answerLines == ["www.alias.test. 60 IN A 192.0.2.1"])
        // AAAA: the target has none, so the primary is unhealthy for AAAA whatever h1 says.
        #expect(asker.ask("www.alias.test.", .aaaa).answer.isEmpty)
    }

    @Test func targetHealthIsPerQueryType() {
        let zones = ZoneFixtures.zoneSet(Self.header + """

        www [failover id=p role=primary evaluate-target-health=true] 60 IN ALIAS app
        www [failover id=s role=secondary] 60 IN ALIAS backup
        app [weighted id=v4 weight=1 health=h1] 60 IN A 192.0.2.1
        app IN TXT "app"
        backup IN A 198.51.100.1
        backup IN TXT "backup"
        backup IN AAAA 2001:db8::1
        """, origin: "alias.test.")
        var asker = Asker(zones, health: FixedHealth(["h1": false]))
        #expect(asker.ask("www.alias.test.", .a).answerLines == ["www.alias.test. 300 IN A 198.51.100.1"])
        // Plain TXT at the target: healthy for TXT even with its A set down.
        #expect(asker.ask("www.alias.test.", .txt).answerLines == ["www.alias.test. 300 IN TXT \"app\""])
        #expect(asker.ask("www.alias.test.", .aaaa).answerLines == ["www.alias.test. 300 IN AAAA 2001:db8::1"])
        // A type no target holds goes to the secondary too, and it has none either.
        #expect(asker.ask("www.alias.test.", .mx).answer.isEmpty)
    }

    @Test func explainFollowsTheSameTable() {
        let zones = ZoneFixtures.zoneSet(Self.tree(levels: 11) + """

        www [failover id=p role=primary evaluate-target-health=true] 60 IN ALIAS l0
        www [failover id=s role=secondary] 60 IN A 198.51.100.1
        """, origin: "alias.test.")
        for (up, expected) in [(true, "192.0.2.7"), (false, "198.51.100.1")] {
            var asker = Asker(zones, health: FixedHealth(["h1": up]))
            let start = ContinuousClock.now
            let (explained, steps) = asker.explain("www.alias.test.", .a)
            #expect(ContinuousClock.now - start < .milliseconds(200))
            #expect(!steps.isEmpty)
            #expect(explained.answerLines == ["www.alias.test. 60 IN A \(expected)"])
            #expect(asker.ask("www.alias.test.", .a).answerLines == explained.answerLines)
        }
    }
}
