import Foundation
import HealthChecks
import Testing
import ZoneFile
import Zones

/// SPEC §6: observations from several vantages combine per check by its `vantages=` rule;
/// only live vantages (those that reported the check) count.
@Suite struct VantageRuleTests {
    @Test(arguments: [
        // (rule, healthy, total, expected)
        (VantageRule.quorum, 2, 3, true), (.quorum, 1, 3, false), (.quorum, 1, 2, false), (.quorum, 2, 2, true), (.quorum, 3, 5, true),
        (.route53, 1, 5, true), (.route53, 1, 6, false), (.route53, 0, 3, false), (.route53, 2, 10, true),
        (.all, 3, 3, true), (.all, 2, 3, false),
        (.any, 1, 3, true), (.any, 0, 3, false),
        (.quorum, 0, 0, true), (.all, 0, 0, true),
    ])
    func rulesCountLiveVantages(rule: VantageRule, healthy: Int, total: Int, expected: Bool) {
        #expect(rule.isHealthy(healthy: healthy, total: total) == expected)
    }

    static func check(_ id: String, rule: VantageRule, inverted: Bool = false) -> HealthCheckDefinition {
        var check = HealthCheckDefinition(id: id, target: .tcp(host: "127.0.0.1", port: 9), location: SourceLocation(file: "t", line: 1, column: 1))
        check.vantages = rule
        check.inverted = inverted
        return check
    }

    @Test func theLocalVantageCountsWithTheRemoteOnesAndInversionComesAfter() {
        var down = ThresholdStateMachine(threshold: 1)
        down.record(passed: false)
        let checks = ["q": Self.check("q", rule: .quorum), "a": Self.check("a", rule: .any), "l": Self.check("l", rule: .all),
                      "i": Self.check("i", rule: .quorum, inverted: true), "alone": Self.check("alone", rule: .quorum)]
        let machines = ["q": down, "a": down, "l": ThresholdStateMachine(threshold: 1), "i": down, "alone": down]
        // q: this vantage down, two others up → 2 of 3 healthy.
        let remote = ["q": ["v2": true, "v3": true], "a": ["v2": false, "v3": true], "l": ["v2": true, "v3": false],
                      "i": ["v2": true, "v3": true]]
        let result = HealthEvaluator.evaluate(definitions: checks, machines: machines, overrides: [:], remote: remote)
        #expect(result["q"]?.observed == true)
        #expect(result["a"]?.observed == true)
        #expect(result["l"]?.observed == false)
        #expect(result["i"]?.observed == true)
        #expect(result["i"]?.effective == false)
        // With no other vantage reporting, the local view alone decides.
        #expect(result["alone"]?.observed == false)
        // An override still wins over any combination.
        let forced = HealthEvaluator.evaluate(definitions: checks, machines: machines,
                                              overrides: ["q": HealthOverride(state: .down, setAt: Date())], remote: remote)
        #expect(forced["q"]?.effective == false)
    }

    @Test func theRuleIsReadFromTheZoneFileAndDefaultsToQuorum() throws {
        let zone = try #require(ZoneFixtures.zone("""
            $ORIGIN v.test.
            @ 60 IN SOA ns h 1 60 60 60 60
            @ 60 IN NS ns
            ns 60 IN A 192.0.2.1
            $HEALTHCHECK a http://127.0.0.1:9/ vantages=route53
            $HEALTHCHECK b http://127.0.0.1:9/ vantages=ALL
            $HEALTHCHECK c http://127.0.0.1:9/
            """, origin: "v.test."))
        let rules = Dictionary(uniqueKeysWithValues: zone.healthChecks.map { ($0.id, $0.vantages) })
        #expect(rules == ["a": .route53, "b": .all, "c": .quorum])
    }
}
