/// One step of a routing decision, as `explain` shows it.
public struct TraceStep: Hashable, Sendable, CustomStringConvertible {
    public enum Verdict: String, Sendable {
        /// Looked at and passed over for a better candidate (or not applicable).
        case considered
        /// Passed over because it is unhealthy.
        case skippedUnhealthy = "skipped-unhealthy"
        /// The set that answers.
        case chosen
        /// Every candidate was unhealthy, so this one answers anyway (Route 53's last resort).
        case lastResort = "last-resort"
        /// Informational: where the client is, which name is being resolved, and so on.
        case note
    }

    public var verdict: Verdict
    public var setID: String?
    public var detail: String

    public init(_ verdict: Verdict, setID: String? = nil, _ detail: String) {
        self.verdict = verdict
        self.setID = setID
        self.detail = detail
    }

    public var description: String {
        if let setID { return "\(verdict.rawValue) \(setID): \(detail)" }
        return "\(verdict.rawValue): \(detail)"
    }
}

/// Where routing decisions report their steps. The query path uses `NoTrace`, whose
/// methods are empty and inlined away; `explain` uses `TraceLog`.
public protocol DecisionTrace {
    var isEnabled: Bool { get }
    mutating func record(_ step: TraceStep)
}

extension DecisionTrace {
    /// Records a step built only when tracing is on, so the hot path builds no strings.
    /// The set's id too is worked out only then: reading it touches the group's list of
    /// sets, a cache line a decision otherwise never needs (its bounds check alone did).
    @inlinable @inline(__always)
    public mutating func note(_ verdict: TraceStep.Verdict, _ setID: @autoclosure () -> String? = nil, _ detail: @autoclosure () -> String) {
        if isEnabled { record(TraceStep(verdict, setID: setID(), detail())) }
    }
}

/// The trace of the query path: records nothing.
public struct NoTrace: DecisionTrace {
    public init() {}
    @inlinable public var isEnabled: Bool { false }
    @inlinable public mutating func record(_ step: TraceStep) {}
}

/// Collects every step, for `explain`.
public struct TraceLog: DecisionTrace, Sendable {
    public private(set) var steps: [TraceStep] = []
    public init() {}
    public var isEnabled: Bool { true }
    public mutating func record(_ step: TraceStep) { steps.append(step) }
}
