import Foundation

/// One operator change to the overrides of one or more checks (a `health down`, an
/// evacuation, a restore): what `HealthMonitor.apply` checks against the safety rule,
/// persists in one write and publishes as one snapshot, so answers never see a
/// half-applied evacuation.
public struct HealthChange: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Force the checks up or down, for `duration` seconds when given.
        case set(HealthOverride.State, duration: TimeInterval?)
        /// Return the checks to their observed state.
        case clear
    }

    public var checkIDs: [String]
    public var action: Action
    public var reason: String?
    public var requestedBy: String?
    /// Skip the safety rule (SPEC §5): allow leaving a routed name with no healthy set.
    public var force: Bool
    /// The drill the change belongs to: its overrides carry the name.
    public var drill: String?

    public init(checkIDs: [String], action: Action, reason: String? = nil, requestedBy: String? = nil, force: Bool = false,
                drill: String? = nil) {
        self.checkIDs = checkIDs
        self.action = action
        self.reason = reason
        self.requestedBy = requestedBy
        self.force = force
        self.drill = drill
    }

    /// The overrides after this change, and the history entries that record it. Clearing
    /// a check that has no override records nothing.
    func planned(on overrides: [String: HealthOverride], at: Date) -> (next: [String: HealthOverride], changes: [OverrideChange]) {
        var next = overrides
        var changes: [OverrideChange] = []
        for id in checkIDs {
            let replaced = overrides[id]
            switch action {
            case .set(let state, let duration):
                let override = HealthOverride(state: state, expires: duration.map { at.addingTimeInterval($0) }, reason: reason,
                                              requestedBy: requestedBy, setAt: at, drill: drill)
                next[id] = override
                changes.append(OverrideChange(checkID: id, action: .set, at: at, override: override, replaced: replaced,
                                              requestedBy: requestedBy, reason: reason))
            case .clear:
                guard let replaced else { continue }
                next[id] = nil
                changes.append(OverrideChange(checkID: id, action: .cleared, at: at, override: nil, replaced: replaced,
                                              requestedBy: requestedBy, reason: reason))
            }
        }
        return (next, changes)
    }

    /// True when the change can only take health away (the safety rule applies to it).
    var marksDown: Bool {
        if case .set(.down, _) = action { return true }
        return false
    }
}

/// Why `apply` refused or failed a change; nothing changed in any of these cases.
public enum HealthChangeError: Error, Sendable, CustomStringConvertible {
    case unknownCheck(String)
    /// The change would leave these routed names with no healthy record set.
    case unsafe(checkIDs: [String], names: [String])
    /// The shared state cannot be reached (etcd down): no write is possible.
    case unavailable(cluster: [String], reason: String)
    /// The state could not be saved.
    case state(String)
    /// Another drill's overrides apply: one drill at a time.
    case drillRunning(String)

    public var description: String {
        switch self {
        case .unknownCheck(let id): return "no health check '\(id)'"
        case .unsafe(let ids, let names):
            return "marking \(ids.joined(separator: ", ")) down would leave these names with no healthy record set: \(names.joined(separator: ", ")); repeat with force to do it anyway"
        case .unavailable(let cluster, let reason):
            return "the cluster \(cluster.joined(separator: ",")) cannot be reached, so overrides cannot be changed now (answers continue from the last state): \(reason)"
        case .state(let message): return "cannot save the override: \(message)"
        case .drillRunning(let name): return "drill '\(name)' is running: stop it first (switchyard drill stop \(name))"
        }
    }
}

/// What an applied change produced: the state revision it created (SPEC §6: every write
/// returns it).
public struct AppliedChange: Sendable {
    public var revision: Int64
    public var changes: [OverrideChange]
}

/// The names a change would leave with no healthy set, given every check's effective state
/// before and after it (injected: the rule needs the zones, which the monitor does not own).
public typealias HealthSafetyRule = @Sendable (_ before: [String: Bool], _ after: [String: Bool]) -> [String]
