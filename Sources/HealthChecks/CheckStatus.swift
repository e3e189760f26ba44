import Foundation
import Zones

/// Everything known about one check at one moment, for the admin API and `health list`.
public struct CheckStatus: Sendable {
    public var definition: HealthCheckDefinition
    /// From probes (calculated: from children), before `inverted` and overrides.
    public var observed: Bool
    public var effective: Bool
    public var override: HealthOverride?
    public var lastResult: ProbeResult?
    /// No result for longer than three intervals plus the timeouts (the checker stalled),
    /// or the last probe could not be made for a local reason (`lastResult` says which).
    public var stale: Bool
    public var history: [OverrideChange]
    /// What each live vantage saw (this instance's first); empty for calculated and
    /// disabled checks.
    public var observations: [Observation]
    /// The state revision the status reflects.
    public var revision: Int64

    /// One vantage's view of the check.
    public struct Observation: Sendable, Hashable {
        public var vantage: String
        public var healthy: Bool
        public var at: Date?
        public var live: Bool
    }

    public var id: String { definition.id }
}
