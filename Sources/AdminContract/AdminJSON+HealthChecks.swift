import Foundation

extension AdminJSON {
    /// One health check as `GET /v1/health-checks` lists it (SPEC §4), with what the fleet
    /// adds (SPEC §6): the state revision and how the vantages' observations combine.
    public struct HealthCheck: Codable, Sendable, Equatable {
        public var id: String
        public var target: String
        public var region: String?
        /// "healthy" or "unhealthy": from probes (calculated: from children).
        public var observed: String
        /// "up", "down" or null.
        public var override: String?
        public var overrideExpires: Date?
        public var overrideReason: String?
        public var overrideBy: String?
        /// What answers use: after `inverted` and the override.
        public var effective: String
        public var lastCheckedAt: Date?
        public var lastResult: String?
        public var stale: Bool
        public var inverted: Bool
        public var disabled: Bool
        public var interval: Int
        public var threshold: Int
        public var history: [OverrideHistoryEntry]?
        /// The state revision the answering instance has applied; on an override write, the
        /// revision that write created.
        public var revision: Int64?
        /// How the vantages' observations combine: "quorum", "route53", "all" or "any".
        public var vantages: String?
        /// What each vantage last saw.
        public var observations: [VantageObservation]?

        public init(id: String, target: String, region: String?, observed: String, override: String?, overrideExpires: Date?,
                    overrideReason: String?, overrideBy: String?, effective: String, lastCheckedAt: Date?, lastResult: String?,
                    stale: Bool, inverted: Bool, disabled: Bool, interval: Int, threshold: Int, history: [OverrideHistoryEntry]?,
                    revision: Int64? = nil, vantages: String? = nil, observations: [VantageObservation]? = nil) {
            self.id = id
            self.target = target
            self.region = region
            self.observed = observed
            self.override = override
            self.overrideExpires = overrideExpires
            self.overrideReason = overrideReason
            self.overrideBy = overrideBy
            self.effective = effective
            self.lastCheckedAt = lastCheckedAt
            self.lastResult = lastResult
            self.stale = stale
            self.inverted = inverted
            self.disabled = disabled
            self.interval = interval
            self.threshold = threshold
            self.history = history
            self.revision = revision
            self.vantages = vantages
            self.observations = observations
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(target, forKey: .target)
            try c.encode(region, forKey: .region)
            try c.encode(observed, forKey: .observed)
            try c.encode(override, forKey: .override)
            try c.encode(overrideExpires, forKey: .overrideExpires)
            try c.encode(overrideReason, forKey: .overrideReason)
            try c.encode(overrideBy, forKey: .overrideBy)
            try c.encode(effective, forKey: .effective)
            try c.encode(lastCheckedAt, forKey: .lastCheckedAt)
            try c.encode(lastResult, forKey: .lastResult)
            try c.encode(stale, forKey: .stale)
            try c.encode(inverted, forKey: .inverted)
            try c.encode(disabled, forKey: .disabled)
            try c.encode(interval, forKey: .interval)
            try c.encode(threshold, forKey: .threshold)
            try c.encode(history, forKey: .history)
            try c.encode(revision, forKey: .revision)
            try c.encode(vantages, forKey: .vantages)
            try c.encode(observations, forKey: .observations)
        }
    }

    /// What one vantage (an instance probing from somewhere) last saw of a check, and
    /// whether that vantage still counts (`live`: its instance is in the fleet).
    public struct VantageObservation: Codable, Sendable, Equatable {
        public var vantage: String
        public var healthy: Bool
        public var at: Date?
        public var live: Bool

        public init(vantage: String, healthy: Bool, at: Date?, live: Bool) {
            self.vantage = vantage
            self.healthy = healthy
            self.at = at
            self.live = live
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(vantage, forKey: .vantage)
            try c.encode(healthy, forKey: .healthy)
            try c.encode(at, forKey: .at)
            try c.encode(live, forKey: .live)
        }
    }

    /// `GET /v1/health-checks`: every check.
    public struct HealthCheckList: Codable, Sendable, Equatable {
        public var healthChecks: [HealthCheck]

        public init(healthChecks: [HealthCheck]) {
            self.healthChecks = healthChecks
        }
    }
}
