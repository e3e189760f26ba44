import Foundation

extension AdminJSON {
    /// Body of `POST /v1/drills` (SPEC §8).
    public struct DrillStart: Codable, Sendable, Equatable {
        public var name: String
        /// The regions to evacuate (at least one).
        public var evacuate: [String]
        /// How long the drill lasts, e.g. "15m"; its overrides expire then.
        public var `for`: String?
        public var reason: String?
        /// Start it even when a routed name is left with no healthy set.
        public var force: Bool?
        public var requestedBy: String?

        public init(name: String, evacuate: [String], for duration: String? = nil, reason: String? = nil, force: Bool? = nil,
                    requestedBy: String? = nil) {
            self.name = name
            self.evacuate = evacuate
            self.for = duration
            self.reason = reason
            self.force = force
            self.requestedBy = requestedBy
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(evacuate, forKey: .evacuate)
            try c.encode(self.for, forKey: .for)
            try c.encode(reason, forKey: .reason)
            try c.encode(force, forKey: .force)
            try c.encode(requestedBy, forKey: .requestedBy)
        }
    }

    /// `GET /v1/drills`: the drills kept, newest first.
    public struct DrillList: Codable, Sendable, Equatable {
        public var drills: [DrillReport]

        public init(drills: [DrillReport]) { self.drills = drills }
    }

    /// A drill and what it measured (`GET /v1/drills/{name}`, `drill report`). Times are
    /// dates (whole seconds) with `offset`s in seconds since the drill started, to the
    /// millisecond.
    public struct DrillReport: Codable, Sendable, Equatable {
        public var name: String
        public var regions: [String]
        /// The checks the drill overrode.
        public var checks: [String]
        public var reason: String?
        public var requestedBy: String?
        /// "running", "stopped" (by `drill stop`) or "expired" (its time ran out).
        public var state: String
        public var startedAt: Date
        /// When the time box ends (null: no `--for`).
        public var endsAt: Date?
        /// When it stopped or expired (null while running).
        public var endedAt: Date?
        /// The state revision the start wrote (fleet).
        public var revision: Int64?
        /// When each instance began answering with the drill's overrides.
        public var applied: [DrillApplied]
        /// Per routed name and instance, the first answer from another set than it would
        /// have given without the drill.
        public var moves: [DrillMove]
        /// Routed names the drill's overrides change for some client that no query has
        /// shown moving yet.
        public var notSeenMoving: [String]
        /// Health changes while the drill ran (overrides and observed state).
        public var healthChanges: [DrillHealthChange]
        /// The latest `cacheDroppedAt` of `moves`: from then on no resolver cache holds an
        /// answer from before the drill.
        public var cacheDroppedAt: Date?
        public var cacheDroppedOffset: Double?
        /// Every event above in time order, for people.
        public var timeline: [DrillEvent]

        public init(name: String, regions: [String], checks: [String], reason: String?, requestedBy: String?, state: String,
                    startedAt: Date, endsAt: Date?, endedAt: Date?, revision: Int64?, applied: [DrillApplied], moves: [DrillMove],
                    notSeenMoving: [String], healthChanges: [DrillHealthChange], cacheDroppedAt: Date?, cacheDroppedOffset: Double?,
                    timeline: [DrillEvent]) {
            self.name = name
            self.regions = regions
            self.checks = checks
            self.reason = reason
            self.requestedBy = requestedBy
            self.state = state
            self.startedAt = startedAt
            self.endsAt = endsAt
            self.endedAt = endedAt
            self.revision = revision
            self.applied = applied
            self.moves = moves
            self.notSeenMoving = notSeenMoving
            self.healthChanges = healthChanges
            self.cacheDroppedAt = cacheDroppedAt
            self.cacheDroppedOffset = cacheDroppedOffset
            self.timeline = timeline
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(regions, forKey: .regions)
            try c.encode(checks, forKey: .checks)
            try c.encode(reason, forKey: .reason)
            try c.encode(requestedBy, forKey: .requestedBy)
            try c.encode(state, forKey: .state)
            try c.encode(startedAt, forKey: .startedAt)
            try c.encode(endsAt, forKey: .endsAt)
            try c.encode(endedAt, forKey: .endedAt)
            try c.encode(revision, forKey: .revision)
            try c.encode(applied, forKey: .applied)
            try c.encode(moves, forKey: .moves)
            try c.encode(notSeenMoving, forKey: .notSeenMoving)
            try c.encode(healthChanges, forKey: .healthChanges)
            try c.encode(cacheDroppedAt, forKey: .cacheDroppedAt)
            try c.encode(cacheDroppedOffset, forKey: .cacheDroppedOffset)
            try c.encode(timeline, forKey: .timeline)
        }
    }

    /// When one instance began answering with the drill's overrides.
    public struct DrillApplied: Codable, Sendable, Equatable {
        public var instance: String
        public var at: Date
        public var offset: Double

        public init(instance: String, at: Date, offset: Double) {
            self.instance = instance
            self.at = at
            self.offset = offset
        }
    }

    /// The first answer for a routed name, on one instance, that came from another set
    /// than the same query would have got without the drill.
    public struct DrillMove: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var instance: String
        public var at: Date
        public var offset: Double
        /// The set it would have answered from, and the one it did.
        public var from: String
        public var to: String
        /// The TTL of the answer it replaced: resolvers may keep that answer this long.
        public var ttl: Int
        /// `at` + `ttl`.
        public var cacheDroppedAt: Date
        public var cacheDroppedOffset: Double

        public init(name: String, type: String, instance: String, at: Date, offset: Double, from: String, to: String, ttl: Int,
                    cacheDroppedAt: Date, cacheDroppedOffset: Double) {
            self.name = name
            self.type = type
            self.instance = instance
            self.at = at
            self.offset = offset
            self.from = from
            self.to = to
            self.ttl = ttl
            self.cacheDroppedAt = cacheDroppedAt
            self.cacheDroppedOffset = cacheDroppedOffset
        }
    }

    /// A change of one check while the drill ran.
    public struct DrillHealthChange: Codable, Sendable, Equatable {
        public var at: Date
        public var offset: Double
        public var check: String
        /// e.g. "override down", "override cleared", "observed unhealthy", "effective healthy".
        public var change: String
        /// The instance that saw it.
        public var instance: String

        public init(at: Date, offset: Double, check: String, change: String, instance: String) {
            self.at = at
            self.offset = offset
            self.check = check
            self.change = change
            self.instance = instance
        }
    }

    /// One line of the timeline.
    public struct DrillEvent: Codable, Sendable, Equatable {
        public var at: Date
        public var offset: Double
        /// "start", "applied", "moved", "health", "cache-dropped", "stop", "expired".
        public var kind: String
        public var text: String

        public init(at: Date, offset: Double, kind: String, text: String) {
            self.at = at
            self.offset = offset
            self.kind = kind
            self.text = text
        }
    }
}
