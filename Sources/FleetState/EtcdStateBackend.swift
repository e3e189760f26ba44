import Etcd
import Foundation
import HealthChecks
import Logging
import Synchronization

/// The fleet's shared health state in etcd v3 (SPEC §6): overrides written in one
/// transaction that compares the state revision, so two changes made at once on two
/// instances cannot both pass the safety rule; a watch that follows every change and
/// resumes from the last revision after a reconnect; this instance's report and its
/// vantage's observations under its own lease. A copy of the overrides is kept in
/// `--state-dir`, so an instance restarted while etcd is unreachable serves the last
/// overrides it knew.
public final class EtcdStateBackend: HealthStateBackend {
    let client: EtcdClient
    let keys: FleetKeys
    let instance: String
    let vantage: String
    let localCopy: OverrideStore
    let leaseTTL: Int64
    let logger: Logger

    /// What is known of the cluster, updated by commits and the watch.
    struct Mirror {
        var shared = SharedHealthState()
        /// The newest etcd revision seen (the watch resumes after it).
        var watchedRevision: Int64 = 0
        /// History entries created at or before this revision were read by the last full load.
        var historyLoadedThrough: Int64 = 0
        var connected = false
        var lease: Int64?
        var continuation: AsyncStream<SharedStateEvent>.Continuation?
        var tasks: [Task<Void, Never>] = []
        var commits = 0
        var shutDown = false
        var deploy: DeployRequest?
        var deployListener: (@Sendable (DeployRequest) -> Void)?
    }

    /// What this instance still has to write, and everything it has written (rewritten
    /// under a new lease when the old one is gone).
    struct Outbox {
        var observations: [String: VantageObservation] = [:]
        var pendingObservations: Set<String> = []
        var report: InstanceReport?
        var reportPending = false
        /// The modification revision of each key this instance writes, as last seen: the
        /// condition of its next write (0: the key is not there).
        var storedRevisions: [String: Int64] = [:]
    }

    let mirror = Mutex(Mirror())
    /// The revision of the overrides last saved in the local copy.
    let localCopySaved = Mutex<Int64>(-1)
    let outbox = Mutex(Outbox())
    let wake: AsyncStream<Void>.Continuation
    let wakes: AsyncStream<Void>

    /// History entries kept in etcd; older ones are deleted as new ones are written.
    static let historyKept = 10_000

    public init(endpoints: [String], prefix: String, instance: String, vantage: String, stateDirectory: String,
                leaseTTL: Int64 = 10, requestTimeout: Duration = .seconds(2), logger: Logger) {
        self.client = EtcdClient(endpoints: endpoints, requestTimeout: requestTimeout)
        self.keys = FleetKeys(prefix: prefix)
        self.instance = instance
        self.vantage = vantage
        self.localCopy = OverrideStore(directory: stateDirectory)
        self.leaseTTL = max(2, leaseTTL)
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public var cluster: [String]? { client.endpoints }
    public var clusterPrefix: String? { keys.prefix }
    public var location: String { "etcd \(client.endpoints.joined(separator: ",")) under \(keys.prefix)" }
    public var isConnected: Bool { mirror.withLock { $0.connected } }

    /// Reads the shared state from etcd; when etcd cannot be reached, the local copy (an
    /// unreadable local copy is an error naming it, as in local mode).
    public func restore() async throws(HealthStateError) -> (state: SharedHealthState, history: [OverrideChange]) {
        // The local copy is read (and its folder made) first, whether etcd answers or not:
        // an unreadable state folder is an error at start, as in local mode.
        let saved: (overrides: [String: HealthOverride], revision: Int64)
        do { saved = try localCopy.loadState() } catch {
            throw HealthStateError(location: error.path, message: error.message)
        }
        do {
            let (state, history) = try await loadAll()
            return (state, history)
        } catch {
            logger.warning("cannot reach \(location) (\(error)); serving the \(saved.overrides.count) override(s) of the local copy in \(localCopy.overridesPath) at revision \(saved.revision) until it is back")
            mirror.withLock { $0.shared.overrides = saved.overrides; $0.shared.revision = saved.revision }
            return (SharedHealthState(overrides: saved.overrides, revision: saved.revision), [])
        }
    }

    /// One transaction: if the override key is still at `expected`, write the overrides and
    /// the history entries; otherwise read what won. Retried on other members while the
    /// cluster elects a leader.
    public func commit(_ next: [String: HealthOverride], changes: [OverrideChange], expected: Int64) async throws(HealthStateError) -> CommitOutcome {
        var operations: [EtcdOperation] = [.put(key: keys.overrides, value: FleetCodec.encode(FleetCodec.OverridesDocument(version: 1, overrides: next)))]
        for (index, change) in changes.enumerated() {
            operations.append(.put(key: keys.history(at: change.at, instance: instance, index: index), value: FleetCodec.encode(change)))
        }
        let result: EtcdTxnResult
        do throws(EtcdError) {
            let operations = operations
            result = try await retryingElections { () async throws(EtcdError) -> EtcdTxnResult in
                try await self.client.txn(compare: [.modRevision(key: self.keys.overrides, equals: expected)],
                                          success: operations, failure: [.range(key: self.keys.overrides)])
            }
        } catch {
            throw stateError(error)
        }
        setConnected(true)
        if result.succeeded { return finishCommit(next, revision: result.revision) }
        let current = result.ranges.first?.kvs.first
        var overrides: [String: HealthOverride] = [:]
        if let current, case .overrides(let stored)? = FleetEntry(key: current.key, value: current.value, keys: keys) { overrides = stored }
        // A retried transaction whose first try went in (the member timed out or lost its
        // leader after committing) fails its own comparison: what is stored is then exactly
        // what this instance wrote, timestamps and all, with its history beside it.
        if let current, !changes.isEmpty, overrides == next, current.modRevision > expected {
            return finishCommit(next, revision: current.modRevision)
        }
        // What the store holds now wins, even at a lower revision (a rebuilt cluster).
        let latest = mirror.withLock { mirror -> SharedHealthState in
            mirror.shared.overrides = overrides
            mirror.shared.revision = current?.modRevision ?? 0
            return mirror.shared
        }
        saveLocalCopy(latest, authoritative: true)
        return .conflict(latest: latest)
    }

    /// Records a write that went in at `revision`: the mirror, the local copy, and now and
    /// then a pruning of the history.
    func finishCommit(_ next: [String: HealthOverride], revision: Int64) -> CommitOutcome {
        let (shared, prune) = mirror.withLock { mirror -> (SharedHealthState, Bool) in
            if revision > mirror.shared.revision {
                mirror.shared.overrides = next
                mirror.shared.revision = revision
            }
            mirror.commits += 1
            return (mirror.shared, mirror.commits % 50 == 1)
        }
        saveLocalCopy(shared)
        if prune { Task { await self.pruneHistory() } }
        return .committed(revision: revision)
    }

    public func events() -> AsyncStream<SharedStateEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: SharedStateEvent.self)
        let previous = mirror.withLock { mirror in
            defer { mirror.continuation = continuation }
            return mirror.continuation
        }
        // Outside the lock: finishing runs the old stream's termination handler, which takes it.
        previous?.finish()
        mirror.withLock { mirror in
            for task in mirror.tasks { task.cancel() }
            mirror.tasks = [
                Task { await self.follow() },
                Task { await self.keepLease() },
                Task { await self.writeOutbox() },
            ]
        }
        continuation.onTermination = { _ in
            self.mirror.withLock { for task in $0.tasks { task.cancel() } }
        }
        return stream
    }

    public func publish(observation: VantageObservation, checkID: String) {
        outbox.withLock {
            $0.observations[checkID] = observation
            $0.pendingObservations.insert(checkID)
        }
        wake.yield()
    }

    public func publish(report: InstanceReport) {
        outbox.withLock {
            $0.report = report
            $0.reportPending = true
        }
        wake.yield()
    }

    /// Revokes the lease, so this instance and its vantage leave the fleet at once.
    public func shutdown() async {
        let (first, tasks, lease, continuation) = mirror.withLock { mirror in
            defer { mirror.tasks = []; mirror.lease = nil; mirror.shutDown = true; mirror.continuation = nil }
            return (!mirror.shutDown, mirror.tasks, mirror.lease, mirror.continuation)
        }
        // Outside the lock: finishing runs the stream's termination handler, which takes it.
        continuation?.finish()
        guard first else { return }
        for task in tasks { task.cancel() }
        if let lease { try? await client.revokeLease(lease) }
        await client.shutdown()
    }

    // MARK: Deploying a commit

    /// Asks every instance to serve `request.commit`; returns the etcd revision written.
    public func requestDeploy(_ request: DeployRequest) async throws(HealthStateError) -> Int64 {
        let value = FleetCodec.encode(request)
        let key = keys.deploy
        do {
            let revision = try await retryingElections { () async throws(EtcdError) -> Int64 in
                try await self.client.put(key, value: value)
            }
            setConnected(true)
            return revision
        } catch {
            throw stateError(error)
        }
    }

    /// Calls `listener` with the fleet's requested commit now (when one is known) and on
    /// every new request.
    public func onDeploy(_ listener: @escaping @Sendable (DeployRequest) -> Void) {
        let current = mirror.withLock { mirror -> DeployRequest? in
            mirror.deployListener = listener
            return mirror.deploy
        }
        if let current { listener(current) }
    }

    /// Takes a deploy request read from etcd and tells the listener when it is new.
    func noteDeploy(_ request: DeployRequest?) {
        let listener = mirror.withLock { mirror -> (@Sendable (DeployRequest) -> Void)? in
            guard request != mirror.deploy else { return nil }
            mirror.deploy = request
            return request == nil ? nil : mirror.deployListener
        }
        if let request, let listener { listener(request) }
    }

    // MARK: Shared helpers

    func setConnected(_ connected: Bool) {
        let continuation = mirror.withLock { mirror -> AsyncStream<SharedStateEvent>.Continuation? in
            guard mirror.connected != connected else { return nil }
            mirror.connected = connected
            return mirror.continuation
        }
        continuation?.yield(.connection(connected))
    }

    /// Saves the overrides unless a newer revision is already saved (`authoritative`: what
    /// etcd holds now, saved whatever its revision). Commits and the watch save from
    /// different tasks: the lock keeps them from sharing the temporary file.
    func saveLocalCopy(_ shared: SharedHealthState, authoritative: Bool = false) {
        localCopySaved.withLock { saved in
            guard shared.revision > saved || (authoritative && shared.revision != saved) else { return }
            do {
                try localCopy.save(shared.overrides, revision: shared.revision)
                saved = shared.revision
            } catch {
                logger.error("cannot keep the local copy of the overrides: \(error)")
            }
        }
    }

    /// A member that answers without a leader (quorum lost) is as good as unreachable:
    /// both make writes answer 503.
    func stateError(_ error: EtcdError) -> HealthStateError {
        guard error.isUnavailable else { return HealthStateError(location: location, message: "\(error)") }
        setConnected(false)
        return HealthStateError(location: location, message: "\(error)", unreachable: true)
    }

    /// Runs `body` again for up to three seconds while no member can serve it (a leader
    /// election after the leader died takes about a second).
    func retryingElections<T: Sendable>(_ body: @Sendable () async throws(EtcdError) -> T) async throws(EtcdError) -> T {
        let deadline = ContinuousClock.now + .seconds(3)
        while true {
            do {
                return try await body()
            } catch {
                // A cancelled caller would otherwise spin here: its sleeps end at once.
                guard ContinuousClock.now < deadline, error.isUnavailable, !Task.isCancelled else { throw error }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

}
