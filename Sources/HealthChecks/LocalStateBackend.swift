import Foundation
import Synchronization

/// The embedded default: overrides and their history in `--state-dir` (or, without a
/// store, in memory only, for tests). One instance is the only writer, so a commit's
/// expected revision always matches unless the folder was changed under it.
public final class LocalStateBackend: HealthStateBackend {
    public let store: OverrideStore?
    /// The overrides last saved and their revision. A commit checks and writes under this
    /// lock, so "only if the revision is still the expected one" holds even for callers
    /// that do not take turns.
    let saved = Mutex<(overrides: [String: HealthOverride], revision: Int64)>(([:], 0))

    public init(store: OverrideStore?) {
        self.store = store
    }

    public var cluster: [String]? { nil }
    public var clusterPrefix: String? { nil }
    public var location: String { store?.directory ?? "memory" }
    public var isConnected: Bool { true }

    public func restore() async throws(HealthStateError) -> (state: SharedHealthState, history: [OverrideChange]) {
        guard let store else { return (SharedHealthState(), []) }
        do {
            let loaded = try store.loadState()
            let history = try store.loadHistory(newest: OverrideHistory.startLines)
            saved.withLock { $0 = loaded }
            return (SharedHealthState(overrides: loaded.overrides, revision: loaded.revision), history)
        } catch {
            throw HealthStateError(location: error.path, message: error.message)
        }
    }

    public func commit(_ next: [String: HealthOverride], changes: [OverrideChange], expected: Int64) async throws(HealthStateError) -> CommitOutcome {
        let store = self.store
        return try saved.withLock { (saved) throws(HealthStateError) -> CommitOutcome in
            guard saved.revision == expected else {
                return .conflict(latest: SharedHealthState(overrides: saved.overrides, revision: saved.revision))
            }
            let created = saved.revision + 1
            if let store {
                do throws(OverrideStore.StateError) { try store.commit(next, changes: changes, revision: created) } catch {
                    throw HealthStateError(location: error.path, message: error.message)
                }
            }
            saved = (next, created)
            return .committed(revision: created)
        }
    }

    public func events() -> AsyncStream<SharedStateEvent> { AsyncStream { $0.finish() } }
    public func publish(observation: VantageObservation, checkID: String) {}
    public func publish(report: InstanceReport) {}
    public func shutdown() async {}
}
