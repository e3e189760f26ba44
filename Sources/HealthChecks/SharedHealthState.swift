import Foundation

/// What one vantage last saw of one check, as published for the fleet.
public struct VantageObservation: Sendable, Hashable, Codable {
    public var healthy: Bool
    public var at: Date

    public init(healthy: Bool, at: Date) {
        self.healthy = healthy
        self.at = at
    }
}

/// The version of one served zone, as an instance reports it to the fleet.
public struct ZoneVersionReport: Sendable, Hashable, Codable {
    public var origin: String
    public var serial: UInt32
    /// A digest of the zone's canonical content, so equal serials with different content
    /// show as different versions.
    public var digest: String

    public init(origin: String, serial: UInt32, digest: String) {
        self.origin = origin
        self.serial = serial
        self.digest = digest
    }
}

/// What an instance tells the fleet about itself (SPEC §6, `GET /v1/fleet`): kept under
/// the instance's lease, so an instance that is gone disappears with it.
public struct InstanceReport: Sendable, Hashable, Codable {
    public var name: String
    public var vantage: String
    public var admin: String?
    public var zones: [ZoneVersionReport]
    /// The state revision whose overrides the instance serves.
    public var stateRevision: Int64
    public var connected: Bool
    public var startedAt: Date
    public var updatedAt: Date
    /// The git commit its zones come from (`serve --git`); nil for a folder.
    public var commit: String?

    public init(name: String, vantage: String, admin: String?, zones: [ZoneVersionReport], stateRevision: Int64,
                connected: Bool, startedAt: Date, updatedAt: Date, commit: String? = nil) {
        self.name = name
        self.vantage = vantage
        self.admin = admin
        self.zones = zones
        self.stateRevision = stateRevision
        self.connected = connected
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.commit = commit
    }

    /// The same report apart from when it was written (to skip writes that change nothing).
    func sameContent(as other: InstanceReport) -> Bool {
        var a = self, b = other
        a.updatedAt = .distantPast
        b.updatedAt = .distantPast
        return a == b
    }
}

/// The state instances share: the overrides at one revision, and what the fleet reports
/// (observations by vantage, instance reports). Local mode shares with nobody and has
/// only the overrides.
public struct SharedHealthState: Sendable, Hashable {
    public var overrides: [String: HealthOverride]
    /// The revision of the overrides: etcd's modification revision of the override key,
    /// or the local state folder's own counter.
    public var revision: Int64
    /// Vantage → check id → what it saw.
    public var observations: [String: [String: VantageObservation]]
    /// Instance name → its report.
    public var instances: [String: InstanceReport]

    public init(overrides: [String: HealthOverride] = [:], revision: Int64 = 0,
                observations: [String: [String: VantageObservation]] = [:], instances: [String: InstanceReport] = [:]) {
        self.overrides = overrides
        self.revision = revision
        self.observations = observations
        self.instances = instances
    }
}

/// A failure to read or write the shared state, naming where it lives.
public struct HealthStateError: Error, Sendable, CustomStringConvertible {
    public var location: String
    public var message: String
    /// True when the store could not be reached at all (etcd down), as opposed to a
    /// store that answered with an error.
    public var unreachable: Bool

    public init(location: String, message: String, unreachable: Bool = false) {
        self.location = location
        self.message = message
        self.unreachable = unreachable
    }

    public var description: String { "\(location): \(message)" }
}

/// What a commit found: written at a new revision, or refused because someone else wrote
/// first (the caller re-checks its change against `latest`).
public enum CommitOutcome: Sendable {
    case committed(revision: Int64)
    case conflict(latest: SharedHealthState)
}

/// Something that changed in the shared state, delivered by a backend to the monitor.
public enum SharedStateEvent: Sendable {
    /// The whole shared state as now known (after a change, coalesced).
    case state(SharedHealthState)
    /// The whole shared state read afresh (after an outage or a compaction): it replaces
    /// what is known even at a lower revision, as after the cluster was rebuilt.
    case resync(SharedHealthState)
    /// New history entries written by any instance.
    case history([OverrideChange])
    /// The store became reachable or unreachable.
    case connection(Bool)
}

/// Where overrides and their history are persisted and shared: the seam between the
/// health state and its storage. `LocalStateBackend` keeps them in `--state-dir`;
/// `EtcdStateBackend` shares them with the fleet through etcd (SPEC §6).
public protocol HealthStateBackend: Sendable {
    /// The etcd client URLs, or nil for a local folder.
    var cluster: [String]? { get }
    /// The cluster key prefix, or nil for a local folder.
    var clusterPrefix: String? { get }
    /// Where the state lives, for messages.
    var location: String { get }
    /// True while writes can be made.
    var isConnected: Bool { get }
    /// Reads what is saved: the overrides, their revision and the newest history entries.
    func restore() async throws(HealthStateError) -> (state: SharedHealthState, history: [OverrideChange])
    /// Saves `next` with `changes` in its history if the saved revision is still
    /// `expected`, in one write.
    func commit(_ next: [String: HealthOverride], changes: [OverrideChange], expected: Int64) async throws(HealthStateError) -> CommitOutcome
    /// Changes made by others, until the task is cancelled (local: none).
    func events() -> AsyncStream<SharedStateEvent>
    /// Publishes what this instance's vantage saw of a check (called on change only; the
    /// backend writes the latest of each, in order, in the background).
    func publish(observation: VantageObservation, checkID: String)
    /// Publishes this instance's report (the latest one, in the background).
    func publish(report: InstanceReport)
    /// Stops background work (leases, watches).
    func shutdown() async
}
