import Foundation
import Logging
import Synchronization
import Zones

/// The health state of one instance: takes probe results from `ProbeScheduler`, changes
/// from operators through `apply`, and the fleet's shared state from a
/// `HealthStateBackend`; keeps them in one `HealthState` value, and has `HealthPublisher`
/// publish a new snapshot when an effective state changes. Answers never wait for it.
public actor HealthMonitor {
    public nonisolated let store: HealthStore
    public nonisolated let backend: any HealthStateBackend
    /// This instance's name and the vantage it probes from (SPEC §6).
    public nonisolated let instance: String
    public nonisolated let vantage: String
    let scheduler: ProbeScheduler
    let publisher: HealthPublisher
    let logger: Logger
    let now: @Sendable () -> Date
    /// Changes to the overrides take one turn at a time (the actor is re-entered while a
    /// write is in flight, and two changes checked against one state must not both pass).
    let writes = AsyncSemaphore(limit: 1)
    let expiryRetry: Duration = .seconds(5)

    var state = HealthState()
    var evaluations: [String: HealthEvaluator.Evaluation] = [:]
    var probing = false
    var expiryTask: Task<Void, Never>?
    var eventsTask: Task<Void, Never>?
    nonisolated let safetyRule = Mutex<HealthSafetyRule?>(nil)
    var zoneVersions: [ZoneVersionReport] = []
    var zoneGeneration: UInt64 = 0
    var zoneCommit: String?
    var adminAddress: String?
    var lastReport: InstanceReport?
    let startedAt = Date()

    public init(store: HealthStore, backend: any HealthStateBackend, prober: any Prober, logger: Logger,
                instance: String = "local", vantage: String? = nil, maxConcurrentProbes: Int = 32,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.backend = backend
        self.instance = instance
        self.vantage = vantage ?? instance
        self.scheduler = ProbeScheduler(prober: prober, maxConcurrentProbes: maxConcurrentProbes)
        self.publisher = HealthPublisher(store: store)
        self.logger = logger
        self.now = now
    }

    /// A monitor keeping its overrides in `overrideStore` (none: in memory only).
    public init(store: HealthStore, overrideStore: OverrideStore?, prober: any Prober, logger: Logger,
                maxConcurrentProbes: Int = 32, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(store: store, backend: LocalStateBackend(store: overrideStore), prober: prober, logger: logger,
                  maxConcurrentProbes: maxConcurrentProbes, now: now)
    }

    /// Reads the saved state once, at start: overrides (those that expired meanwhile no
    /// longer apply, and are cleared at the first expiry pass) and history.
    public func restoreOverrides() async throws(HealthStateError) {
        let (saved, history) = try await backend.restore()
        state.history.append(contentsOf: history)
        state.overrides = saved.overrides
        state.revision = saved.revision
        state.remote = saved.observations.filter { $0.key != vantage }
        state.instances = saved.instances
        logger.info("restored \(saved.overrides.count) health check override(s) at revision \(saved.revision) from \(backend.location)")
        publish()
        await expireOverrides(reason: "expired while stopped")
    }

    /// Installs the checks of a (re)loaded zone set: new checks start healthy, removed ones
    /// stop, unchanged ones keep their state; overrides stay.
    public func update(_ checks: [HealthCheckDefinition]) async {
        let restart = state.install(checks)
        publish()
        if probing { await reconcileProbes(restart: restart) }
    }

    /// Starts probing every check (and every check added later) and following the shared
    /// state.
    public func start() async {
        probing = true
        await reconcileProbes(restart: [])
        if eventsTask == nil {
            let events = backend.events()
            eventsTask = Task { [weak self] in
                for await event in events {
                    guard let self else { return }
                    await self.handle(event)
                }
            }
        }
        report()
    }

    /// Stops probing and following.
    public func stop() async {
        probing = false
        await scheduler.stopAll()
        expiryTask?.cancel()
        eventsTask?.cancel()
        eventsTask = nil
    }

    func reconcileProbes(restart: Set<String>) async {
        await scheduler.reconcile(state.definitions, restart: restart) { [weak self] id, result in
            await self?.record(id, result)
        }
    }

    /// Feeds one probe result of this vantage (also the entry point for tests that drive
    /// results by hand).
    public func record(_ id: String, _ result: ProbeResult) {
        guard state.definitions[id] != nil, var machine = state.machines[id] else { return }
        if result.outcome == .localError {
            // Not the target's fault: the state machine never sees it (SPEC §5).
            if state.localFailures[id] == nil {
                logger.warning("health check \(id): probe not made, local failure on this host (not counted against the target; the check stays \(machine.isHealthy ? "healthy" : "unhealthy") and is marked stale): \(result.reason)")
            }
            state.localFailures[id] = result
            return
        }
        if state.localFailures.removeValue(forKey: id) != nil {
            logger.notice("health check \(id): probes can be made again: \(result.reason)")
        }
        let first = state.lastResults[id] == nil
        let changed = machine.record(passed: result.passed)
        state.machines[id] = machine
        state.lastResults[id] = result
        if changed {
            logger.notice("health check \(id) is now \(machine.isHealthy ? "healthy" : "unhealthy"): \(result.reason)")
        }
        if changed || first {
            // Observations are shared on change only (and once, at the first result).
            backend.publish(observation: VantageObservation(healthy: machine.isHealthy, at: result.at), checkID: id)
        }
        if changed { publisher.tell(ObservedChange(checkID: id, healthy: machine.isHealthy, at: result.at, reason: result.reason)) }
        publish()
    }

    // MARK: Changes

    /// The rule that refuses a change leaving a routed name with no healthy set.
    public nonisolated func setSafetyRule(_ rule: @escaping HealthSafetyRule) { safetyRule.withLock { $0 = rule } }

    /// Checks `change` against the safety rule, persists it in one write and publishes
    /// one snapshot. Changes through this instance are taken one at a time; changes made
    /// elsewhere in the fleet meanwhile make the write fail its revision check, and the
    /// change is checked again against the state that won.
    @discardableResult
    public func apply(_ change: HealthChange) async throws(HealthChangeError) -> AppliedChange {
        for id in change.checkIDs where state.definitions[id] == nil { throw .unknownCheck(id) }
        await writes.acquire()
        let result: Result<AppliedChange, HealthChangeError>
        do throws(HealthChangeError) { result = .success(try await applyInTurn(change)) } catch { result = .failure(error) }
        await writes.release()
        return try result.get()
    }

    func applyInTurn(_ change: HealthChange) async throws(HealthChangeError) -> AppliedChange {
        guard backend.isConnected else {
            throw .unavailable(cluster: backend.cluster ?? [backend.location], reason: "not connected")
        }
        for _ in 0..<16 {
            let at = now()
            // One drill at a time, checked against the state this write is made at (in a
            // fleet, a drill started elsewhere meanwhile makes the write conflict, and this
            // check runs again on the state that won).
            if let drill = change.drill, case .set = change.action,
               let other = state.overrides.values.first(where: { $0.drill != nil && $0.drill != drill && $0.isActive(at: at) })?.drill {
                throw .drillRunning(other)
            }
            let (next, changes) = change.planned(on: state.overrides, at: at)
            if changes.isEmpty { return AppliedChange(revision: state.revision, changes: []) }
            if change.marksDown && !change.force, let safetyRule = safetyRule.withLock({ $0 }) {
                let before = state.evaluate(at: at).mapValues(\.effective)
                let after = state.evaluate(at: at, overrides: next).mapValues(\.effective)
                let names = safetyRule(before, after)
                if !names.isEmpty { throw .unsafe(checkIDs: change.checkIDs, names: names) }
            }
            let created: Int64?
            do {
                created = try await commit(next, changes: changes)
            } catch {
                if error.unreachable { throw .unavailable(cluster: backend.cluster ?? [backend.location], reason: error.message) }
                throw .state(error.description)
            }
            if let created { return AppliedChange(revision: created, changes: changes) }
        }
        throw .state("the shared state kept changing under this change; try again")
    }

    /// Writes `next` with `changes` in its history at the revision this instance knows,
    /// and adopts whatever won: returns the revision created, or nil when another write
    /// came first (its state is adopted, and the caller decides again).
    func commit(_ next: [String: HealthOverride], changes: [OverrideChange]) async throws(HealthStateError) -> Int64? {
        switch try await backend.commit(next, changes: changes, expected: state.revision) {
        case .committed(let revision):
            adoptOverrides(next, revision: revision)
            state.history.append(contentsOf: changes)
            for change in changes { log(change) }
            return revision
        case .conflict(let latest):
            adoptOverrides(latest.overrides, revision: latest.revision, even: true)
            return nil
        }
    }

    func log(_ change: OverrideChange) {
        switch change.action {
        case .set:
            let state = change.override?.state.rawValue ?? "?"
            let until = change.override?.expires.map { " until \($0)" } ?? ""
            logger.notice("health check \(change.checkID) overridden \(state)\(until)\(change.reason.map { ": \($0)" } ?? "")")
        case .cleared: logger.notice("health check \(change.checkID) override cleared")
        case .expired: logger.notice("health check \(change.checkID) override expired")
        }
    }

    /// Takes overrides at `revision` unless newer ones are already known (or `older` says
    /// the store's answer wins regardless); returns whether it took them (and published).
    @discardableResult
    func adoptOverrides(_ overrides: [String: HealthOverride], revision: Int64, even older: Bool = false) -> Bool {
        guard revision >= state.revision || older else { return false }
        let moved = revision != state.revision
        state.overrides = overrides
        state.revision = revision
        publish()
        if moved {
            scheduleExpiry()
            report()
        }
        return true
    }

    // MARK: Expiry

    /// Publishes without the overrides whose time is up (on this instance's clock, whatever
    /// the store says), then clears them in the store. If that write fails they stay
    /// listed, no longer applying, and the write is retried.
    func expireOverrides(reason: String = "expired") async {
        // Unreachable store: answers change now, the write waits for it to come back.
        if !backend.isConnected { publish() }
        let at = now()
        guard state.overrides.values.contains(where: { !$0.isActive(at: at) }) else { return scheduleExpiry() }
        await writes.acquire()
        let expired = state.overrides.filter { !$0.value.isActive(at: at) }.sorted { $0.key < $1.key }
        if !expired.isEmpty {
            var next = state.overrides
            for (id, _) in expired { next[id] = nil }
            let changes = expired.map { OverrideChange(checkID: $0.key, action: .expired, at: at, override: nil, replaced: $0.value,
                                                       requestedBy: nil, reason: reason) }
            do {
                _ = try await commit(next, changes: changes)
            } catch {
                logger.error("cannot save expired overrides (they no longer apply), retrying in \(expiryRetry): \(error)")
            }
        }
        publish()
        await writes.release()
        scheduleExpiry()
    }

    func scheduleExpiry() {
        expiryTask?.cancel()
        let at = now()
        var delay: Double? = state.overrides.values.compactMap(\.expires).filter { $0 > at }.min().map { $0.timeIntervalSince(at) }
        if state.overrides.values.contains(where: { !$0.isActive(at: at) }) {
            delay = min(delay ?? .infinity, Double(expiryRetry.components.seconds))
        }
        guard let delay else { return }
        expiryTask = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int(max(0, delay) * 1000) + 1))
            if Task.isCancelled { return }
            await self?.expireOverrides()
        }
    }

    // MARK: The fleet

    func handle(_ event: SharedStateEvent) {
        switch event {
        case .state(let shared), .resync(let shared):
            state.remote = shared.observations.filter { $0.key != vantage }
            state.instances = shared.instances
            var resync = false
            if case .resync = event { resync = true }
            // Observations alone may have changed: publish unless adopting already did.
            if !adoptOverrides(shared.overrides, revision: shared.revision, even: resync) { publish() }
        case .history(let changes):
            state.history.append(contentsOf: changes)
        case .connection(let up):
            // The backend tells transitions only, after its own state changed.
            if up {
                logger.notice("connected to the cluster \(backend.location)")
            } else {
                logger.error("cannot reach the cluster \(backend.location): answering from the last state; overrides cannot be changed until it is back")
            }
            report()
        }
    }

    /// The zone versions this instance serves and its admin address, for its report;
    /// details of an older zone `generation` than the last ones given are ignored.
    public func setReportDetails(zones: [ZoneVersionReport], admin: String?, generation: UInt64 = 0, commit: String? = nil) {
        guard generation >= zoneGeneration else { return }
        zoneGeneration = generation
        zoneVersions = zones
        zoneCommit = commit
        adminAddress = admin
        report()
    }

    func currentReport() -> InstanceReport {
        InstanceReport(name: instance, vantage: vantage, admin: adminAddress, zones: zoneVersions, stateRevision: state.revision,
                       connected: backend.isConnected, startedAt: startedAt, updatedAt: now(), commit: zoneCommit)
    }

    func report() {
        let next = currentReport()
        if let lastReport, lastReport.sameContent(as: next) { return }
        lastReport = next
        backend.publish(report: next)
    }

    /// Every live instance as this one knows them (itself as it is now).
    public func fleet() -> FleetView {
        var instances = state.instances
        instances[instance] = currentReport()
        return FleetView(cluster: backend.cluster, prefix: backend.clusterPrefix, revision: state.revision,
                         instances: instances.values.sorted { $0.name < $1.name })
    }

    public var isConnected: Bool { backend.isConnected }
    public var revision: Int64 { state.revision }

    // MARK: Publishing and status

    func publish() {
        let at = now()
        evaluations = state.evaluate(at: at)
        // The drill in progress: the newest active override set by one.
        let drill = state.overrides.values.filter { $0.drill != nil && $0.isActive(at: at) }.max { $0.setAt < $1.setAt }?.drill
        let withoutDrill = drill.map { name in
            (name, state.evaluate(at: at, overrides: state.overrides.filter { $0.value.drill != name }).mapValues(\.effective))
        }
        publisher.publish(evaluations, drill: withoutDrill)
    }

    /// Calls `listener` after every published change until the returned token is removed.
    public func addListener(_ listener: @escaping @Sendable (HealthSnapshot) -> Void) -> UUID {
        publisher.addListener(listener)
    }

    public func removeListener(_ token: UUID) { publisher.removeListener(token) }

    /// Calls `listener` whenever this vantage sees a check change state.
    public nonisolated func addObservedListener(_ listener: @escaping @Sendable (ObservedChange) -> Void) -> UUID {
        let token = UUID()
        publisher.observedListeners.withLock { $0[token] = listener }
        return token
    }

    /// Every check's override now (expired ones left out).
    public func activeOverrides() -> [String: HealthOverride] {
        let at = now()
        return state.overrides.filter { $0.value.isActive(at: at) }
    }

    public func status() -> [CheckStatus] {
        state.definitions.keys.sorted().compactMap(status(of:))
    }

    public func status(of id: String) -> CheckStatus? {
        state.status(of: id, at: now(), evaluations: evaluations, probing: probing, startedAt: startedAt, vantage: vantage)
    }

    /// Checks whose `region=` is `region`.
    public func checks(inRegion region: String) -> [String] {
        state.definitions.values.filter { $0.region == region }.map(\.id).sorted()
    }

    /// Every check's effective state now.
    public func effectiveStates() -> [String: Bool] {
        state.evaluate(at: now()).mapValues(\.effective)
    }
}
