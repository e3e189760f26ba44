import Foundation
import HealthChecks

/// One key of the fleet's state as read from etcd (by a full read or the watch), decoded:
/// the one place that turns a key and its value into what it means.
enum FleetEntry {
    /// The overrides document (empty once deleted).
    case overrides([String: HealthOverride])
    /// A history entry, and the key it was written under.
    case history(OverrideChange, key: String)
    /// An instance's report (nil: gone, or unreadable).
    case instance(name: String, InstanceReport?)
    /// What a vantage saw of a check (nil: gone, or unreadable).
    case observation(vantage: String, check: String, VantageObservation?)
    /// The commit the fleet is asked to serve (nil: none).
    case deploy(DeployRequest?)

    /// `value` nil means the key was deleted; nil for keys outside the layout and for
    /// history entries that cannot be read.
    init?(key: String, value: [UInt8]?, keys: FleetKeys) {
        if key == keys.overrides {
            self = .overrides(value.flatMap { FleetCodec.decode(FleetCodec.OverridesDocument.self, $0)?.overrides } ?? [:])
        } else if key == keys.deploy {
            self = .deploy(value.flatMap { FleetCodec.decode(DeployRequest.self, $0) })
        } else if key.hasPrefix(keys.instances) {
            self = .instance(name: String(key.dropFirst(keys.instances.count)), value.flatMap { FleetCodec.decode(InstanceReport.self, $0) })
        } else if let parts = keys.observationParts(key) {
            self = .observation(vantage: parts.vantage, check: parts.check, value.flatMap { FleetCodec.decode(VantageObservation.self, $0) })
        } else if key.hasPrefix(keys.history), let change = value.flatMap({ FleetCodec.decode(OverrideChange.self, $0) }) {
            self = .history(change, key: key)
        } else {
            return nil
        }
    }
}

extension SharedHealthState {
    /// Takes an instance report or an observation (what the fleet reports); false for
    /// entries whose handling needs more than the state (revisions, listeners).
    mutating func take(_ entry: FleetEntry) -> Bool {
        switch entry {
        case .instance(let name, let report):
            instances[name] = report
        case .observation(let vantage, let check, let seen):
            observations[vantage, default: [:]][check] = seen
            if observations[vantage]?.isEmpty == true { observations[vantage] = nil }
        case .overrides, .history, .deploy:
            return false
        }
        return true
    }
}
