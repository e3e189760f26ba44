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

    public var id: String { definition.id }
}
