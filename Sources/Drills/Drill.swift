import Foundation

/// A drill as it was started: a named, time-boxed evacuation of one or more regions.
/// Saved where the overrides are (`--state-dir`, or etcd in a fleet) so any instance can
/// report on it, and the measurements stay after it ends.
public struct Drill: Sendable, Codable, Equatable {
    public var name: String
    public var regions: [String]
    /// The checks it overrode down.
    public var checks: [String]
    public var reason: String?
    public var requestedBy: String?
    /// When its overrides were written.
    public var startedAt: Date
    /// When its time box ends (nil: no `--for`).
    public var endsAt: Date?
    /// When `drill stop` cleared its overrides.
    public var stoppedAt: Date?
    /// The state revision its overrides created.
    public var revision: Int64?
    /// Routed names ("NAME TYPE") with a set whose health the drill changes: the names
    /// expected to move for some client.
    public var affectedNames: [String]

    public init(name: String, regions: [String], checks: [String], reason: String?, requestedBy: String?, startedAt: Date,
                endsAt: Date?, stoppedAt: Date? = nil, revision: Int64?, affectedNames: [String]) {
        self.name = name
        self.regions = regions
        self.checks = checks
        self.reason = reason
        self.requestedBy = requestedBy
        self.startedAt = startedAt
        self.endsAt = endsAt
        self.stoppedAt = stoppedAt
        self.revision = revision
        self.affectedNames = affectedNames
    }

    /// Drill names become file entries and etcd key segments: 1 to 64 letters, digits,
    /// '-', '_' and '.'.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name != "." && name != ".."
            && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}

/// What one instance measured of one drill: when it began answering with the drill's
/// overrides, the first moved answer per routed name, and the health changes it saw.
public struct DrillObservations: Sendable, Codable, Equatable {
    /// The first answer for a name (and query type) from another set than without the drill.
    public struct Move: Sendable, Codable, Equatable {
        public var at: Date
        public var from: String
        public var to: String
        public var ttl: UInt32

        public init(at: Date, from: String, to: String, ttl: UInt32) {
            self.at = at
            self.from = from
            self.to = to
            self.ttl = ttl
        }
    }

    /// A change of one check while the drill ran.
    public struct HealthEvent: Sendable, Codable, Equatable {
        public var at: Date
        public var check: String
        public var change: String

        public init(at: Date, check: String, change: String) {
            self.at = at
            self.check = check
            self.change = change
        }
    }

    public var instance: String
    public var appliedAt: Date?
    /// When this instance stopped answering with the drill's overrides.
    public var clearedAt: Date?
    /// Keyed by "NAME TYPE".
    public var moves: [String: Move] = [:]
    public var healthChanges: [HealthEvent] = []

    /// Health events kept per drill and instance: a flapping check cannot grow the record
    /// without end.
    public static let maximumHealthEvents = 500
    /// Moves kept per drill and instance (one per routed name and type).
    public static let maximumMoves = 2_000

    public init(instance: String) {
        self.instance = instance
    }
}

/// A drill and every instance's measurements of it, as stored. The definition may be
/// missing on an instance that has only seen the drill's overrides so far.
public struct DrillRecord: Sendable, Codable, Equatable {
    public var drill: Drill?
    /// By instance name.
    public var observations: [String: DrillObservations]

    public init(drill: Drill?, observations: [String: DrillObservations] = [:]) {
        self.drill = drill
        self.observations = observations
    }
}
