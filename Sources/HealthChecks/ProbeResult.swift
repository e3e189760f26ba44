import Foundation

/// The outcome of one probe: passed, failed, or not made for a local reason; why, and when.
public struct ProbeResult: Sendable, Hashable, Codable {
    /// `localError` means the prober could not even make the attempt (no file descriptor,
    /// no buffer, no local address): it says nothing about the target, so it does not count
    /// against it (SPEC §5).
    public enum Outcome: String, Sendable, Hashable, Codable {
        case passed
        case failed
        case localError = "local-error"
    }

    public var outcome: Outcome
    /// A short human reason: "HTTP 200", "HTTP 503", "connect timed out after 4s", "match not found".
    public var reason: String
    public var at: Date
    public var milliseconds: Double

    public var passed: Bool { outcome == .passed }

    public init(outcome: Outcome, reason: String, at: Date, milliseconds: Double) {
        self.outcome = outcome
        self.reason = reason
        self.at = at
        self.milliseconds = milliseconds
    }

    public init(passed: Bool, reason: String, at: Date, milliseconds: Double) {
        self.init(outcome: passed ? .passed : .failed, reason: reason, at: at, milliseconds: milliseconds)
    }
}

/// An operator's override of a check: forced up or down, optionally until a time, with
/// who asked and why (SPEC §4).
public struct HealthOverride: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        case up
        case down
    }

    public var state: State
    public var expires: Date?
    public var reason: String?
    public var requestedBy: String?
    public var setAt: Date
    /// The drill that set it (`drill start`), so every instance can tell the drill's
    /// overrides from the others and measure what the drill moved.
    public var drill: String?

    public init(state: State, expires: Date? = nil, reason: String? = nil, requestedBy: String? = nil, setAt: Date,
                drill: String? = nil) {
        self.state = state
        self.expires = expires
        self.reason = reason
        self.requestedBy = requestedBy
        self.setAt = setAt
        self.drill = drill
    }

    public func isActive(at now: Date) -> Bool { expires.map { now < $0 } ?? true }
}

/// One change of an override, as kept in the history (who, when, why, what it replaced).
public struct OverrideChange: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Codable {
        case set
        case cleared
        case expired
    }

    public var checkID: String
    public var action: Action
    public var at: Date
    public var override: HealthOverride?
    public var replaced: HealthOverride?
    public var requestedBy: String?
    public var reason: String?

    public init(checkID: String, action: Action, at: Date, override: HealthOverride?, replaced: HealthOverride?,
                requestedBy: String?, reason: String?) {
        self.checkID = checkID
        self.action = action
        self.at = at
        self.override = override
        self.replaced = replaced
        self.requestedBy = requestedBy
        self.reason = reason
    }
}
