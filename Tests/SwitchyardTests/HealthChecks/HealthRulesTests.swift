import Foundation
import HealthChecks
import Testing
import ZoneFile
import Zones

/// The state rules of SPEC §3 and ROUTE53.md §4 / §10 items 21–23, without a network.
@Suite struct HealthRulesTests {
    static func check(_ id: String, _ target: HealthCheckDefinition.Target = .tcp(host: "127.0.0.1", port: 9),
                      threshold: Int = 3, inverted: Bool = false, disabled: Bool = false) -> HealthCheckDefinition {
        var check = HealthCheckDefinition(id: id, target: target, location: SourceLocation(file: "t", line: 1, column: 1))
        check.threshold = threshold
        check.inverted = inverted
        check.disabled = disabled
        return check
    }

    /// Feeds results and returns, for each, whether the state changed.
    static func feed(_ machine: inout ThresholdStateMachine, _ results: [Bool]) -> [Bool] {
        results.map { machine.record(passed: $0) }
    }

    @Test func stateChangesOnlyAfterThresholdResultsInARow() {
        var machine = ThresholdStateMachine(threshold: 3)
        #expect(machine.isHealthy)
        // Two failures, a pass that breaks the streak, then three failures in a row.
        let down = Self.feed(&machine, [false, false, true, false, false, false])
        #expect(down == [false, false, false, false, false, true])
        #expect(!machine.isHealthy)
        let up = Self.feed(&machine, [true, true, true])
        #expect(up == [false, false, true])
        #expect(machine.isHealthy)
    }

    @Test func thresholdOfOneFlipsAtOnce() {
        var machine = ThresholdStateMachine(threshold: 1)
        #expect(Self.feed(&machine, [false, true]) == [true, true])
    }

    static func evaluate(_ checks: [HealthCheckDefinition], unhealthy: Set<String> = [], overrides: [String: HealthOverride.State] = [:]) -> [String: HealthEvaluator.Evaluation] {
        var machines: [String: ThresholdStateMachine] = [:]
        for check in checks {
            var machine = ThresholdStateMachine(threshold: 1)
            if unhealthy.contains(check.id) { machine.record(passed: false) }
            machines[check.id] = machine
        }
        return HealthEvaluator.evaluate(definitions: Dictionary(uniqueKeysWithValues: checks.map { ($0.id, $0) }), machines: machines,
                                        overrides: overrides.mapValues { HealthOverride(state: $0, setAt: Date()) })
    }

    @Test func item21_disabledIsHealthyAndInvertedDisabledIsNot() {
        let result = Self.evaluate([Self.check("d", disabled: true), Self.check("id", inverted: true, disabled: true)], unhealthy: ["d", "id"])
        #expect(result["d"]?.effective == true)
        #expect(result["id"]?.effective == false)
    }

    @Test func item22_newChecksAreHealthyAndNewInvertedOnesAreNot() {
        let result = Self.evaluate([Self.check("new"), Self.check("inv", inverted: true)])
        #expect(result["new"]?.effective == true)
        #expect(result["inv"]?.effective == false)
        #expect(result["inv"]?.observed == true)
    }

    @Test func item23_calculatedChecks() {
        let children = [Self.check("a"), Self.check("b"), Self.check("c", disabled: true)]
        let zero = Self.check("zero", .calculated(children: ["a", "b"], minHealthy: 0))
        let many = Self.check("many", .calculated(children: ["a", "b"], minHealthy: 3))
        let two = Self.check("two", .calculated(children: ["a", "b", "c"], minHealthy: 2))
        let result = Self.evaluate(children + [zero, many, two], unhealthy: ["a", "b", "c"])
        #expect(result["zero"]?.effective == true)
        #expect(result["many"]?.effective == false)
        // a and b are down; the disabled c counts as healthy: 1 of 2 needed.
        #expect(result["two"]?.effective == false)
        let oneDown = Self.evaluate(children + [two], unhealthy: ["a"])
        #expect(oneDown["two"]?.effective == true)
    }

    @Test func overridesWinAndCalculatedChecksFollowThem() {
        let children = [Self.check("a"), Self.check("b")]
        let both = Self.check("both", .calculated(children: ["a", "b"], minHealthy: 2))
        let result = Self.evaluate(children + [both], overrides: ["a": .down])
        #expect(result["a"]?.effective == false)
        #expect(result["a"]?.observed == true)
        #expect(result["both"]?.effective == false)
        let forcedUp = Self.evaluate(children, unhealthy: ["b"], overrides: ["b": .up])
        #expect(forcedUp["b"]?.effective == true)
    }
}
