import Foundation

extension AdminJSON {
    /// `GET /v1/fleet` (SPEC §6): every live instance of the NS set and whether they all
    /// serve the same zone versions and state revision.
    public struct FleetReport: Codable, Sendable, Equatable {
        /// The etcd client URLs; null when the state is local (no `--cluster`).
        public var cluster: [String]?
        /// The etcd key prefix; null when the state is local.
        public var prefix: String?
        /// The newest state revision known.
        public var revision: Int64
        /// True when every instance serves the same zone versions and state revision.
        public var inSync: Bool
        public var instances: [FleetInstance]

        public init(cluster: [String]?, prefix: String?, revision: Int64, inSync: Bool, instances: [FleetInstance]) {
            self.cluster = cluster
            self.prefix = prefix
            self.revision = revision
            self.inSync = inSync
            self.instances = instances
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(cluster, forKey: .cluster)
            try c.encode(prefix, forKey: .prefix)
            try c.encode(revision, forKey: .revision)
            try c.encode(inSync, forKey: .inSync)
            try c.encode(instances, forKey: .instances)
        }
    }

    /// One instance of the fleet as it last reported itself.
    public struct FleetInstance: Codable, Sendable, Equatable {
        /// `--instance`.
        public var name: String
        /// `--vantage`: where it probes from.
        public var vantage: String
        /// Its admin API address, when it has one.
        public var admin: String?
        public var zones: [ZoneVersion]
        /// The state revision it has applied.
        public var stateRevision: Int64
        /// Whether it is connected to the cluster.
        public var connected: Bool
        /// When it last reported.
        public var updatedAt: Date?
        public var startedAt: Date?
        /// The git commit its zones come from (`serve --git`); null for a folder.
        public var commit: String?

        public init(name: String, vantage: String, admin: String?, zones: [ZoneVersion], stateRevision: Int64, connected: Bool,
                    updatedAt: Date?, startedAt: Date?, commit: String? = nil) {
            self.name = name
            self.vantage = vantage
            self.admin = admin
            self.zones = zones
            self.stateRevision = stateRevision
            self.connected = connected
            self.updatedAt = updatedAt
            self.startedAt = startedAt
            self.commit = commit
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(vantage, forKey: .vantage)
            try c.encode(admin, forKey: .admin)
            try c.encode(zones, forKey: .zones)
            try c.encode(stateRevision, forKey: .stateRevision)
            try c.encode(connected, forKey: .connected)
            try c.encode(updatedAt, forKey: .updatedAt)
            try c.encode(startedAt, forKey: .startedAt)
            try c.encode(commit, forKey: .commit)
        }
    }

    /// The version of one zone an instance serves: its serial and a digest of its content
    /// (or the commit it came from), so two instances with one serial but different data
    /// are told apart.
    public struct ZoneVersion: Codable, Sendable, Hashable {
        public var origin: String
        public var serial: UInt32
        public var digest: String

        public init(origin: String, serial: UInt32, digest: String) {
            self.origin = origin
            self.serial = serial
            self.digest = digest
        }
    }
}
