import Foundation

extension AdminJSON {
    /// Body of `PUT /v1/health-checks/{id}/override` and of evacuate/restore.
    public struct OverrideRequest: Codable, Sendable, Equatable {
        /// "up" or "down" (required by PUT; evacuate is always down).
        public var state: String?
        /// How long until the override expires, e.g. "15m" or "1h30m".
        public var `for`: String?
        public var reason: String?
        /// Do it even when a routed name is left with no healthy record set.
        public var force: Bool?
        public var requestedBy: String?

        public init(state: String? = nil, for duration: String? = nil, reason: String? = nil, force: Bool? = nil,
                    requestedBy: String? = nil) {
            self.state = state
            self.for = duration
            self.reason = reason
            self.force = force
            self.requestedBy = requestedBy
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(state, forKey: .state)
            try c.encode(self.for, forKey: .for)
            try c.encode(reason, forKey: .reason)
            try c.encode(force, forKey: .force)
            try c.encode(requestedBy, forKey: .requestedBy)
        }
    }

    /// One change of a check's override, as `GET /v1/health-checks/{id}` lists them.
    public struct OverrideHistoryEntry: Codable, Sendable, Equatable {
        public var action: String
        public var at: Date
        public var state: String?
        public var expires: Date?
        public var replaced: String?
        public var requestedBy: String?
        public var reason: String?

        public init(action: String, at: Date, state: String?, expires: Date?, replaced: String?, requestedBy: String?,
                    reason: String?) {
            self.action = action
            self.at = at
            self.state = state
            self.expires = expires
            self.replaced = replaced
            self.requestedBy = requestedBy
            self.reason = reason
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(action, forKey: .action)
            try c.encode(at, forKey: .at)
            try c.encode(state, forKey: .state)
            try c.encode(expires, forKey: .expires)
            try c.encode(replaced, forKey: .replaced)
            try c.encode(requestedBy, forKey: .requestedBy)
            try c.encode(reason, forKey: .reason)
        }
    }

    /// Answer of `POST /v1/regions/{region}/evacuate` and `…/restore`: the region's checks
    /// after the change, and the state revision the change created (fleet only).
    public struct RegionResult: Codable, Sendable, Equatable {
        public var region: String
        /// "evacuate" or "restore".
        public var action: String
        public var healthChecks: [HealthCheck]
        public var revision: Int64?

        public init(region: String, action: String, healthChecks: [HealthCheck], revision: Int64? = nil) {
            self.region = region
            self.action = action
            self.healthChecks = healthChecks
            self.revision = revision
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(region, forKey: .region)
            try c.encode(action, forKey: .action)
            try c.encode(healthChecks, forKey: .healthChecks)
            try c.encode(revision, forKey: .revision)
        }
    }
}
