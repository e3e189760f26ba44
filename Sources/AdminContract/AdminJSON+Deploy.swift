import Foundation

extension AdminJSON {
    /// Body of `POST /v1/deploy`: the commit to serve (anything `git rev-parse` takes).
    public struct DeployRequest: Codable, Sendable, Equatable {
        public var commit: String
        public var requestedBy: String?

        public init(commit: String, requestedBy: String? = nil) {
            self.commit = commit
            self.requestedBy = requestedBy
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(commit, forKey: .commit)
            try c.encode(requestedBy, forKey: .requestedBy)
        }
    }

    /// Answer of `POST /v1/deploy`. On one server, the reload it made (`ok` false when a
    /// zone of the commit failed; the previous version keeps serving). With a cluster, the
    /// etcd `revision` of the request: every instance then loads the commit by itself, and
    /// `GET /v1/fleet` shows each one's `commit`.
    public struct DeployResult: Codable, Sendable, Equatable {
        /// The full commit id the request resolved to.
        public var commit: String
        public var ok: Bool
        /// The etcd revision of the fleet-wide request; null on one server.
        public var revision: Int64?
        /// This instance's reload at that commit; null when it is still to come.
        public var zones: [ReloadResult.ZoneOutcome]?

        public init(commit: String, ok: Bool, revision: Int64?, zones: [ReloadResult.ZoneOutcome]?) {
            self.commit = commit
            self.ok = ok
            self.revision = revision
            self.zones = zones
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(commit, forKey: .commit)
            try c.encode(ok, forKey: .ok)
            try c.encode(revision, forKey: .revision)
            try c.encode(zones, forKey: .zones)
        }
    }
}
