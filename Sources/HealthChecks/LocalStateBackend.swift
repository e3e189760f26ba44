import Foundation
import Synchronization

/// The embedded default: overrides and their history in `--state-dir` (or, without a
/// store, in memory only, for tests). One instance is the only writer, so a commit's
/// expected revision always matches unless the folder was changed under it.
public final class LocalStateBackend: HealthStateBackend {
    public let store: OverrideStore?
    let revision = Mutex<Int64>(0)

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
            let saved = try store.loadState()
            let history = try store.loadHistory(newest: OverrideHistory.startLines)
            revision.withLock { $0 = saved.revision }
            return (SharedHealthState(overrides: saved.overrides, revision: saved.revision), history)
        } catch {
            throw HealthStateError(location: error.path, message: error.message)
        }
    }

    public func commit(_ next: [String: HealthOverride], changes: [OverrideChange], expected: Int64) async throws(HealthStateError) -> CommitOutcome {
        let current = revision.withLock { $0 }
        guard current == expected else {
            return .conflict(latest: SharedHealthState(overrides: (try? store?.load()) ?? next, revision: current))
        }
        let created = current + 1
        if let store {
            do { try store.commit(next, changes: changes, revision: created) } catch {
                throw HealthStateError(location: error.path, message: error.message)
            }
        }
        revision.withLock { $0 = created }
        return .committed(revision: created)
    }

    public func events() -> AsyncStream<SharedStateEvent> { AsyncStream { $0.finish() } }
    public func publish(observation: VantageObservation, checkID: String) {}
    public func publish(report: InstanceReport) {}
    public func shutdown() async {}
}
