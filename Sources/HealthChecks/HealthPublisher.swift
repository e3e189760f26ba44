import Foundation
import Synchronization

/// Publication: turns evaluations into an immutable `HealthSnapshot` swapped into the
/// store the query path reads, only when an effective state changed, and tells listeners.
final class HealthPublisher: Sendable {
    let store: HealthStore
    let listeners = Mutex<[UUID: @Sendable (HealthSnapshot) -> Void]>([:])
    let observedListeners = Mutex<[UUID: @Sendable (ObservedChange) -> Void]>([:])

    init(store: HealthStore) { self.store = store }

    /// Publishes when the effective states differ from the published ones; returns true
    /// when it did.
    @discardableResult
    func publish(_ evaluations: [String: HealthEvaluator.Evaluation], drill: (name: String, effective: [String: Bool])? = nil) -> Bool {
        let effective = evaluations.mapValues(\.effective)
        let current = store.current
        guard effective != current.effective || drill?.name != current.drill || drill?.effective != current.withoutDrill?.effective
        else { return false }
        let snapshot = HealthSnapshot(effective: effective, drill: drill)
        store.publish(snapshot)
        for listener in listeners.withLock({ Array($0.values) }) { listener(snapshot) }
        return true
    }

    func addListener(_ listener: @escaping @Sendable (HealthSnapshot) -> Void) -> UUID {
        let token = UUID()
        listeners.withLock { $0[token] = listener }
        return token
    }

    func removeListener(_ token: UUID) { _ = listeners.withLock { $0.removeValue(forKey: token) } }

    /// Tells listeners that this vantage's view of a check changed (whether or not its
    /// effective state did: an override may hide it).
    func tell(_ change: ObservedChange) {
        for listener in observedListeners.withLock({ Array($0.values) }) { listener(change) }
    }
}

/// A check this vantage now sees in another state.
public struct ObservedChange: Sendable, Equatable {
    public var checkID: String
    public var healthy: Bool
    public var at: Date
    public var reason: String

    public init(checkID: String, healthy: Bool, at: Date, reason: String) {
        self.checkID = checkID
        self.healthy = healthy
        self.at = at
        self.reason = reason
    }
}
