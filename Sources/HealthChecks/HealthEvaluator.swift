import Foundation
import Zones

/// Works out every check's effective state from the observed states, the definitions and
/// the overrides (SPEC §3, ROUTE53.md §4 and §10 items 21–23): a pure function, so the
/// rules are tested without a clock or a network.
public enum HealthEvaluator {
    /// What one check looks like after evaluation.
    public struct Evaluation: Sendable, Hashable {
        /// From probes (or the children, for a calculated check); `disabled` counts as healthy.
        public var observed: Bool
        /// After `inverted` and any active override: what answers use.
        public var effective: Bool
    }

    /// `machines` holds this vantage's threshold state of every probed check; `remote` what
    /// the fleet's other live vantages saw (check id → vantage → healthy), combined with
    /// this vantage's by each check's `vantages=` rule; `overrides` the active overrides
    /// (expired ones must already be gone).
    public static func evaluate(definitions: [String: HealthCheckDefinition], machines: [String: ThresholdStateMachine],
                                overrides: [String: HealthOverride],
                                remote: [String: [String: Bool]] = [:]) -> [String: Evaluation] {
        var results: [String: Evaluation] = [:]
        func evaluate(_ id: String, depth: Int) -> Evaluation {
            if let done = results[id] { return done }
            guard let definition = definitions[id], depth < 32 else { return Evaluation(observed: true, effective: true) }
            let observed: Bool
            if definition.disabled {
                observed = true
            } else if case .calculated(let children, let minHealthy) = definition.target {
                let healthy = children.filter { evaluate($0, depth: depth + 1).effective }.count
                observed = healthy >= minHealthy
            } else {
                let local = machines[id]?.isHealthy ?? true
                if let others = remote[id], !others.isEmpty {
                    let healthy = others.values.filter { $0 }.count + (local ? 1 : 0)
                    observed = definition.vantages.isHealthy(healthy: healthy, total: others.count + 1)
                } else {
                    observed = local
                }
            }
            var effective = definition.inverted ? !observed : observed
            if let override = overrides[id] { effective = override.state == .up }
            let result = Evaluation(observed: observed, effective: effective)
            results[id] = result
            return result
        }
        for id in definitions.keys { _ = evaluate(id, depth: 0) }
        return results
    }
}
