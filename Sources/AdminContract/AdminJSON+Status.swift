import Foundation

extension AdminJSON {
    /// `GET /v1/status` (SPEC §8): everything the status page at `/` shows, in one read —
    /// the checks and regions, each routed name's answers per set over the last minutes,
    /// and the drill in progress (or the last one) with its timeline. Read-only; no token.
    public struct Status: Codable, Sendable, Equatable {
        public var generatedAt: Date
        /// `--instance` in a fleet; null for a single server.
        public var instance: String?
        /// How far back `names[].buckets` reach, and the width of one bucket.
        public var windowSeconds: Int
        public var bucketSeconds: Int
        public var checks: [StatusCheck]
        public var regions: [StatusRegion]
        public var names: [StatusName]
        /// The drill running now, else the last one; null when there has been none.
        public var drill: DrillReport?

        public init(generatedAt: Date, instance: String?, windowSeconds: Int, bucketSeconds: Int, checks: [StatusCheck],
                    regions: [StatusRegion], names: [StatusName], drill: DrillReport?) {
            self.generatedAt = generatedAt
            self.instance = instance
            self.windowSeconds = windowSeconds
            self.bucketSeconds = bucketSeconds
            self.checks = checks
            self.regions = regions
            self.names = names
            self.drill = drill
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(generatedAt, forKey: .generatedAt)
            try c.encode(instance, forKey: .instance)
            try c.encode(windowSeconds, forKey: .windowSeconds)
            try c.encode(bucketSeconds, forKey: .bucketSeconds)
            try c.encode(checks, forKey: .checks)
            try c.encode(regions, forKey: .regions)
            try c.encode(names, forKey: .names)
            try c.encode(drill, forKey: .drill)
        }
    }

    /// One health check on the status page.
    public struct StatusCheck: Codable, Sendable, Equatable {
        public var id: String
        public var region: String?
        public var target: String
        /// "healthy" or "unhealthy", as in `GET /v1/health-checks`.
        public var observed: String
        /// "up", "down" or null.
        public var override: String?
        public var overrideReason: String?
        public var effective: String
        public var overrideExpires: Date?
        /// Whole seconds until the override expires; null when it does not.
        public var secondsLeft: Int?

        public init(id: String, region: String?, target: String, observed: String, override: String?, overrideReason: String?,
                    effective: String, overrideExpires: Date?, secondsLeft: Int?) {
            self.id = id
            self.region = region
            self.target = target
            self.observed = observed
            self.override = override
            self.overrideReason = overrideReason
            self.effective = effective
            self.overrideExpires = overrideExpires
            self.secondsLeft = secondsLeft
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(region, forKey: .region)
            try c.encode(target, forKey: .target)
            try c.encode(observed, forKey: .observed)
            try c.encode(override, forKey: .override)
            try c.encode(overrideReason, forKey: .overrideReason)
            try c.encode(effective, forKey: .effective)
            try c.encode(overrideExpires, forKey: .overrideExpires)
            try c.encode(secondsLeft, forKey: .secondsLeft)
        }
    }

    /// One region (the `region=` of its checks) on the status page.
    public struct StatusRegion: Codable, Sendable, Equatable {
        public var region: String
        public var checks: Int
        /// How many of them are effectively healthy.
        public var healthy: Int
        /// How many have an override.
        public var overridden: Int

        public init(region: String, checks: Int, healthy: Int, overridden: Int) {
            self.region = region
            self.checks = checks
            self.healthy = healthy
            self.overridden = overridden
        }
    }

    /// One routed name and type: how many answers each set gave, per bucket, oldest first.
    public struct StatusName: Codable, Sendable, Equatable {
        public var name: String
        /// The query type, or "ALIAS" for a group that answers every type.
        public var type: String
        public var policy: String
        /// Every set of the group, in zone-file order (a multivalue answer is counted under
        /// its sets joined with "+").
        public var sets: [String]
        public var buckets: [StatusBucket]

        public init(name: String, type: String, policy: String, sets: [String], buckets: [StatusBucket]) {
            self.name = name
            self.type = type
            self.policy = policy
            self.sets = sets
            self.buckets = buckets
        }
    }

    /// Answers given in one bucket, by set.
    public struct StatusBucket: Codable, Sendable, Equatable {
        public var start: Date
        public var counts: [String: Int]

        public init(start: Date, counts: [String: Int]) {
            self.start = start
            self.counts = counts
        }
    }
}
