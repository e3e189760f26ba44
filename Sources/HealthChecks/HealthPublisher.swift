import Foundation
import Synchronization

/// Publication: turns evaluations into an immutable `HealthSnapshot` swapped into the
/// store the query path reads, only when an effective state changed, and tells listeners.
final class HealthPublisher: Sendable {
    let store: HealthStore
    let listeners = Mutex<[UUID: @Sendable (HealthSnapshot) -> Void]>([:])

    init(store: HealthStore) { self.store = store }

    /// Publishes when the effective states differ from the published ones; returns true
    /// when it did.
    @discardableResult
    func publish(_ evaluations: [String: HealthEvaluator.Evaluation]) -> Bool {
        let effective = evaluations.mapValues(\.effective)
        guard effective != store.current.effective else { return false }
        let snapshot = HealthSnapshot(effective: effective)
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
}
