import Foundation
import Zones

/// Everything the monitor knows at one moment, as a value: the checks, this vantage's
/// threshold states and last results, the fleet's other observations, and the overrides
/// at their revision. Evaluation and status are pure functions of it and a clock reading.
struct HealthState: Sendable {
    var definitions: [String: HealthCheckDefinition] = [:]
    var machines: [String: ThresholdStateMachine] = [:]
    var lastResults: [String: ProbeResult] = [:]
    /// The last probe of a check that could not be made for a local reason, until a probe
    /// is made again: the check keeps its state and is shown stale meanwhile.
    var localFailures: [String: ProbeResult] = [:]
    var overrides: [String: HealthOverride] = [:]
    var revision: Int64 = 0
    /// What other vantages saw: vantage → check id → observation (this vantage excluded).
    var remote: [String: [String: VantageObservation]] = [:]
    var instances: [String: InstanceReport] = [:]
    var history = OverrideHistory()

    /// Check id → vantage → healthy, for the evaluator.
    var remoteByCheck: [String: [String: Bool]] {
        var result: [String: [String: Bool]] = [:]
        for (vantage, checks) in remote {
            for (id, observation) in checks where definitions[id] != nil {
                result[id, default: [:]][vantage] = observation.healthy
            }
        }
        return result
    }

    func evaluate(at now: Date, overrides: [String: HealthOverride]? = nil) -> [String: HealthEvaluator.Evaluation] {
        HealthEvaluator.evaluate(definitions: definitions, machines: machines,
                                 overrides: (overrides ?? self.overrides).filter { $0.value.isActive(at: now) },
                                 remote: remoteByCheck)
    }

    /// Installs the checks of a (re)loaded zone set: new checks start healthy, removed ones
    /// go, checks whose target or threshold changed start again; overrides stay. Returns
    /// the ids whose probing must restart.
    mutating func install(_ checks: [HealthCheckDefinition]) -> Set<String> {
        var next: [String: HealthCheckDefinition] = [:]
        for check in checks { next[check.id] = check }
        var restart: Set<String> = []
        for (id, old) in definitions where next[id] == nil || !HealthState.sameProbe(old, next[id]!) {
            restart.insert(id)
            if next[id] == nil || old.threshold != next[id]!.threshold || old.target != next[id]!.target {
                machines[id] = nil
                lastResults[id] = nil
                localFailures[id] = nil
            }
        }
        definitions = next
        for (id, check) in next where machines[id] == nil {
            machines[id] = ThresholdStateMachine(threshold: check.threshold)
        }
        return restart
    }

    static func sameProbe(_ a: HealthCheckDefinition, _ b: HealthCheckDefinition) -> Bool {
        var b = b
        b.location = a.location
        return a == b
    }

    /// The status of one check for the API: `probing` and `startedAt` decide staleness.
    func status(of id: String, at now: Date, evaluations: [String: HealthEvaluator.Evaluation], probing: Bool,
                startedAt: Date, vantage: String) -> CheckStatus? {
        guard let definition = definitions[id] else { return nil }
        let evaluation = evaluations[id] ?? HealthEvaluator.Evaluation(observed: true, effective: true)
        let last = lastResults[id]
        var stale = localFailures[id] != nil
        var observations: [CheckStatus.Observation] = []
        if !definition.disabled, case .calculated = definition.target {} else if !definition.disabled {
            if probing {
                let allowed = Double(definition.interval) * 3 + Double(definition.timeout) + 4
                stale = stale || now.timeIntervalSince(last?.at ?? startedAt) > allowed
            }
            observations.append(.init(vantage: vantage, healthy: machines[id]?.isHealthy ?? true, at: last?.at, live: true))
            for (other, checks) in remote.sorted(by: { $0.key < $1.key }) {
                if let seen = checks[id] { observations.append(.init(vantage: other, healthy: seen.healthy, at: seen.at, live: true)) }
            }
        }
        return CheckStatus(definition: definition, observed: evaluation.observed, effective: evaluation.effective,
                           override: overrides[id].flatMap { $0.isActive(at: now) ? $0 : nil },
                           lastResult: localFailures[id] ?? last, stale: stale, history: history.changes(for: id),
                           observations: observations, revision: revision)
    }
}
