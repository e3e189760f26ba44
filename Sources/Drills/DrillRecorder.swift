import DNSServer
import DNSWire
import Foundation
import HealthChecks
import Logging
import Synchronization

/// This instance's measurements of drills: when it began answering with a drill's
/// overrides (from the health snapshots it publishes), the first moved answer per routed
/// name (from the query path, via `RoutedAnswerLog`), and the health changes it saw while
/// a drill ran. Kept in memory and saved to the `DrillStore` in the background, at most
/// twice a second; nothing here runs per query.
public final class DrillRecorder: Sendable {
    public let instance: String
    let store: any DrillStore
    let logger: Logger

    struct State {
        /// The drill whose overrides this instance answers with now.
        var current: String?
        var lastEffective: [String: Bool]?
        /// This instance's observations, by drill.
        var observations: [String: DrillObservations] = [:]
        var unsaved: Set<String> = []
    }

    let state = Mutex(State())
    let wake: AsyncStream<Void>.Continuation
    let wakes: AsyncStream<Void>

    public init(instance: String, store: any DrillStore, logger: Logger) {
        self.instance = instance
        self.store = store
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Takes up this instance's saved observations (a restart in the middle of a drill
    /// keeps what it measured).
    public func restore() async throws {
        let saved = try await store.loadAll()
        let mine = saved.compactMapValues { $0.observations[instance] }
        state.withLock { $0.observations.merge(mine) { current, _ in current } }
    }

    /// Saves what changed, until cancelled.
    public func run() async {
        for await _ in wakes {
            try? await Task.sleep(for: .milliseconds(500))
            await save()
        }
    }

    /// Saves every drill whose observations changed since the last save.
    public func save() async {
        let pending: [(String, DrillObservations)] = state.withLock { state in
            defer { state.unsaved.removeAll() }
            return state.unsaved.compactMap { name in state.observations[name].map { (name, $0) } }
        }
        for (name, observations) in pending {
            do {
                try await store.save(observations, of: name)
            } catch {
                logger.error("cannot save the measurements of drill \(name): \(error)")
                state.withLock { _ = $0.unsaved.insert(name) }
            }
        }
    }

    /// This instance's observations of `drill` (nil: it has seen nothing of it).
    public func observations(of drill: String) -> DrillObservations? {
        state.withLock { $0.observations[drill] }
    }

    /// Every drill this instance has measured something of.
    public func drillsObserved() -> Set<String> {
        state.withLock { Set($0.observations.keys) }
    }

    /// The drill whose overrides this instance answers with now.
    public var currentDrill: String? { state.withLock { $0.current } }

    /// A health snapshot was published: notes when a drill began or stopped applying here
    /// and which checks changed effective state (for the drill that ran through them).
    public func healthPublished(_ snapshot: HealthSnapshot, at: Date) {
        let changed = state.withLock { state -> Bool in
            let previous = state.current
            var touched: Set<String> = []
            // The first time only: a restart during the drill does not move it.
            if let drill = snapshot.drill, drill != previous, state.observations[drill]?.appliedAt == nil {
                state.observations[drill, default: DrillObservations(instance: instance)].appliedAt = at
                touched.insert(drill)
            }
            if let previous, snapshot.drill != previous, state.observations[previous] != nil {
                state.observations[previous]!.clearedAt = at
                touched.insert(previous)
            }
            // Changes at the moment a drill ends are the drill's own (its overrides cleared).
            if let drill = snapshot.drill ?? previous, let last = state.lastEffective {
                for (id, healthy) in snapshot.effective.sorted(by: { $0.key < $1.key }) where last[id] != nil && last[id] != healthy {
                    append(.init(at: at, check: id, change: healthy ? "effective healthy" : "effective unhealthy"), to: drill, in: &state)
                    touched.insert(drill)
                }
            }
            state.lastEffective = snapshot.effective
            state.current = snapshot.drill
            state.unsaved.formUnion(touched)
            return !touched.isEmpty
        }
        if changed { wake.yield() }
    }

    /// This vantage saw a check change state.
    public func observed(_ change: ObservedChange) {
        let changed = state.withLock { state -> Bool in
            guard let drill = state.current else { return false }
            let text = "observed \(change.healthy ? "healthy" : "unhealthy"): \(change.reason.prefix(200))"
            append(.init(at: change.at, check: change.checkID, change: text), to: drill, in: &state)
            state.unsaved.insert(drill)
            return true
        }
        if changed { wake.yield() }
    }

    /// First moves from the event loops: the earliest per name and type is kept.
    public func record(_ moves: [DrillMoveNote]) {
        let changed = state.withLock { state -> Bool in
            var any = false
            for note in moves {
                var observations = state.observations[note.drill, default: DrillObservations(instance: instance)]
                let key = "\(note.group.owner) \(RecordType(note.type).mnemonic)"
                if let known = observations.moves[key], known.at <= note.at { continue }
                guard observations.moves[key] != nil || observations.moves.count < DrillObservations.maximumMoves else { continue }
                observations.moves[key] = .init(at: note.at, from: note.from, to: note.to, ttl: note.ttl)
                state.observations[note.drill] = observations
                state.unsaved.insert(note.drill)
                any = true
            }
            return any
        }
        if changed { wake.yield() }
    }

    func append(_ event: DrillObservations.HealthEvent, to drill: String, in state: inout State) {
        var observations = state.observations[drill, default: DrillObservations(instance: instance)]
        guard observations.healthChanges.count < DrillObservations.maximumHealthEvents else { return }
        observations.healthChanges.append(event)
        state.observations[drill] = observations
    }
}
