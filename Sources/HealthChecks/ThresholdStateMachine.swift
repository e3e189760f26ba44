/// The consecutive-results rule of a health check (ROUTE53.md §4.3): the observed state
/// changes only after `threshold` results in a row that disagree with it.
public struct ThresholdStateMachine: Sendable, Hashable {
    public private(set) var isHealthy: Bool
    public let threshold: Int
    /// Results in a row that disagree with the current state.
    public private(set) var streak = 0

    /// A new check starts healthy until enough results say otherwise (SPEC §3).
    public init(threshold: Int, initiallyHealthy: Bool = true) {
        self.threshold = max(1, threshold)
        self.isHealthy = initiallyHealthy
    }

    /// Feeds one probe result; returns true when the state changed.
    @discardableResult
    public mutating func record(passed: Bool) -> Bool {
        guard passed != isHealthy else {
            streak = 0
            return false
        }
        streak += 1
        guard streak >= threshold else { return false }
        isHealthy = passed
        streak = 0
        return true
    }
}
