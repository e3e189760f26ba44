import Foundation
import HealthChecks
import Hummingbird
import Zones

/// The JSON shapes of the admin API (SPEC §4), kept apart from the domain types so the
/// wire contract changes only on purpose.
public enum AdminJSON {
    public struct HealthCheck: Codable, Sendable, ResponseEncodable {
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
        public var revision: Int64? = nil
        public var vantages: String? = nil
        public var observations: [VantageObservation]? = nil
    }

    public struct VantageObservation: Codable, Sendable, Equatable {
        public var vantage: String
        public var healthy: Bool
        public var at: Date?
        public var live: Bool
    }

    public struct ZoneVersion: Codable, Sendable, Equatable {
        public var origin: String
        public var serial: UInt32
        public var digest: String
    }

    public struct FleetInstance: Codable, Sendable, Equatable {
        public var name: String
        public var vantage: String
        public var admin: String?
        public var zones: [ZoneVersion]
        public var stateRevision: Int64
        public var connected: Bool
        public var updatedAt: Date?
        public var startedAt: Date?
    }

    public struct FleetReport: Codable, Sendable, ResponseEncodable {
        public var cluster: [String]?
        public var prefix: String?
        public var revision: Int64
        public var inSync: Bool
        public var instances: [FleetInstance]
    }

    public struct OverrideHistoryEntry: Codable, Sendable {
        public var action: String
        public var at: Date
        public var state: String?
        public var expires: Date?
        public var replaced: String?
        public var requestedBy: String?
        public var reason: String?
    }

    /// Body of PUT …/override and of evacuate/restore.
    public struct OverrideRequest: Codable, Sendable {
        public var state: String?
        public var `for`: String?
        public var reason: String?
        public var force: Bool?
        public var requestedBy: String?
    }

    public struct HealthCheckList: Codable, Sendable, ResponseEncodable {
        public var healthChecks: [HealthCheck]
    }

    public struct RegionResult: Codable, Sendable, ResponseEncodable {
        public var region: String
        public var action: String
        public var healthChecks: [HealthCheck]
        public var revision: Int64?
    }

    public struct Zone: Codable, Sendable {
        public var file: String
        public var origin: String?
        public var serial: UInt32?
        public var records: Int?
        public var loadedAt: Date?
        public var lastError: String?
        public var errors: [String]
    }

    public struct ZoneList: Codable, Sendable, ResponseEncodable {
        public var zones: [Zone]
    }

    public struct ReloadResult: Codable, Sendable, ResponseEncodable {
        public struct ZoneOutcome: Codable, Sendable {
            public var file: String
            public var origin: String?
            public var result: String
            public var errors: [String]
        }
        public var ok: Bool
        public var zones: [ZoneOutcome]
    }

    public struct Explanation: Codable, Sendable, ResponseEncodable {
        public struct Step: Codable, Sendable {
            public var verdict: String
            public var set: String?
            public var detail: String
        }
        public var name: String
        public var type: String
        public var client: String
        public var subnet: String?
        public var rcode: String
        public var authoritative: Bool
        public var answer: [String]
        public var authority: [String]
        public var additional: [String]
        public var clientSubnetScope: Int
        public var trail: [Step]
    }

    public struct Problem: Codable, Sendable, ResponseEncodable {
        public var error: String
        public var field: String?
        public var names: [String]?
        public var cluster: [String]?
    }
}
