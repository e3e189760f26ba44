import Foundation
import Logging
import Zones

/// Runs the health checks: probes each on its schedule (jittered, with bounded
/// concurrency), applies the threshold rule, keeps overrides with their expiry and
/// history, and publishes an immutable `HealthSnapshot` whenever an effective state
/// changes. Answers never wait for it: they read the last published snapshot.
public actor HealthMonitor {
    public nonisolated let store: HealthStore
    let overrideStore: OverrideStore?
    let prober: any Prober
    let logger: Logger
    let now: @Sendable () -> Date
    let limiter: ProbeLimiter

    var definitions: [String: HealthCheckDefinition] = [:]
    var machines: [String: ThresholdStateMachine] = [:]
    var lastResults: [String: ProbeResult] = [:]
    /// The last probe of a check that could not be made for a local reason, until a probe
    /// is made again: the check keeps its state and is shown stale meanwhile.
    var localFailures: [String: ProbeResult] = [:]
    /// What status shows; the history file is read only once, at `restoreOverrides`.
    var history = OverrideHistory()
    let expiryRetry: Duration = .seconds(5)
    var overrides: [String: HealthOverride] = [:]
    var evaluations: [String: HealthEvaluator.Evaluation] = [:]
    var probeTasks: [String: Task<Void, Never>] = [:]
    var expiryTask: Task<Void, Never>?
    var probing = false
    /// Called after every publish (tests await state changes through it).
    var listeners: [UUID: @Sendable (HealthSnapshot) -> Void] = [:]

    public init(store: HealthStore, overrideStore: OverrideStore?, prober: any Prober, logger: Logger,
                maxConcurrentProbes: Int = 32, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.overrideStore = overrideStore
        self.prober = prober
        self.logger = logger
        self.now = now
        self.limiter = ProbeLimiter(limit: maxConcurrentProbes)
    }

    /// Reads saved overrides (dropping those that expired while the server was down) and
    /// the override history, once.
    public func restoreOverrides() throws(OverrideStore.StateError) {
        guard let overrideStore else { return }
        let saved = try overrideStore.load()
        var loaded = OverrideHistory(perCheck: history.perCheck)
        loaded.append(contentsOf: try overrideStore.loadHistory(newest: OverrideHistory.startLines))
        let current = now()
        var kept: [String: HealthOverride] = [:]
        var expired: [OverrideChange] = []
        for (id, override) in saved.sorted(by: { $0.key < $1.key }) {
            if override.isActive(at: current) {
                kept[id] = override
            } else {
                expired.append(OverrideChange(checkID: id, action: .expired, at: current, override: nil,
                                              replaced: override, requestedBy: nil, reason: "expired while stopped"))
            }
        }
        if !expired.isEmpty { try overrideStore.commit(kept, changes: expired) }
        loaded.append(contentsOf: expired)
        overrides = kept
        history = loaded
        logger.info("restored \(kept.count) health check override(s) from \(overrideStore.overridesPath)")
        publish()
        scheduleExpiry()
    }

    /// Installs the checks of a (re)loaded zone set: new checks start healthy, removed ones
    /// stop, unchanged ones keep their state; overrides stay.
    public func update(_ checks: [HealthCheckDefinition]) {
        var next: [String: HealthCheckDefinition] = [:]
        for check in checks { next[check.id] = check }
        for (id, old) in definitions where next[id] == nil || !HealthMonitor.sameProbe(old, next[id]!) {
            probeTasks.removeValue(forKey: id)?.cancel()
            if next[id] == nil || old.threshold != next[id]!.threshold || old.target != next[id]!.target {
                machines[id] = nil
                lastResults[id] = nil
                localFailures[id] = nil
            }
        }
        definitions = next
        for (id, check) in next where machines[id] == nil {
            machines[id] = ThresholdStateMachine(threshold: check.threshold)
        }
        publish()
        if probing { startMissingProbes() }
    }

    static func sameProbe(_ a: HealthCheckDefinition, _ b: HealthCheckDefinition) -> Bool {
        var b = b
        b.location = a.location
        return a == b
    }

    /// Starts probing every check (and every check added later).
    public func start() {
        probing = true
        startMissingProbes()
    }

    /// Stops every probe.
    public func stop() {
        probing = false
        for task in probeTasks.values { task.cancel() }
        probeTasks.removeAll()
        expiryTask?.cancel()
    }

    func startMissingProbes() {
        for (id, check) in definitions where probeTasks[id] == nil && !check.disabled {
            if case .calculated = check.target { continue }
            probeTasks[id] = Task { [prober, limiter] in
                await HealthMonitor.probeLoop(check, prober: prober, limiter: limiter, monitor: self)
            }
        }
    }

    static func probeLoop(_ check: HealthCheckDefinition, prober: any Prober, limiter: ProbeLimiter, monitor: HealthMonitor) async {
        let interval = Double(check.interval)
        // Spread the first probes over up to a second so a reload does not send a burst.
        try? await Task.sleep(for: .milliseconds(Int.random(in: 0..<min(1000, Int(interval * 1000)))))
        while !Task.isCancelled {
            await limiter.acquire()
            let result = await prober.probe(check)
            await limiter.release()
            if Task.isCancelled { return }
            await monitor.record(check.id, result)
            // Jitter only shortens the wait, so detection stays within interval × threshold.
            let wait = interval * Double.random(in: 0.9...1.0)
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
    }

    /// Feeds one probe result (also the entry point for tests that drive results by hand).
    public func record(_ id: String, _ result: ProbeResult) {
        guard definitions[id] != nil, var machine = machines[id] else { return }
        if result.outcome == .localError {
            // Not the target's fault: the state machine never sees it (SPEC §5).
            if localFailures[id] == nil {
                logger.warning("health check \(id): probe not made, local failure on this host (not counted against the target; the check stays \(machine.isHealthy ? "healthy" : "unhealthy") and is marked stale): \(result.reason)")
            }
            localFailures[id] = result
            return
        }
        if localFailures.removeValue(forKey: id) != nil {
            logger.notice("health check \(id): probes can be made again: \(result.reason)")
        }
        let changed = machine.record(passed: result.passed)
        machines[id] = machine
        lastResults[id] = result
        if changed {
            logger.notice("health check \(id) is now \(machine.isHealthy ? "healthy" : "unhealthy"): \(result.reason)")
        }
        publish()
    }

    // MARK: Overrides

    public enum OverrideError: Error, Sendable {
        case unknownCheck(String)
        case state(OverrideStore.StateError)
    }

    /// Forces a check up or down, optionally for `duration`; saved before it takes effect.
    @discardableResult
    public func setOverride(_ id: String, state: HealthOverride.State, duration: TimeInterval?, reason: String?,
                            requestedBy: String?) throws(OverrideError) -> HealthOverride {
        guard definitions[id] != nil else { throw .unknownCheck(id) }
        let at = now()
        let override = HealthOverride(state: state, expires: duration.map { at.addingTimeInterval($0) }, reason: reason,
                                      requestedBy: requestedBy, setAt: at)
        let replaced = overrides[id]
        var next = overrides
        next[id] = override
        try persist(next, change: OverrideChange(checkID: id, action: .set, at: at, override: override, replaced: replaced,
                                                 requestedBy: requestedBy, reason: reason))
        overrides = next
        logger.notice("health check \(id) overridden \(state.rawValue)\(duration.map { " for \(Int($0))s" } ?? "")\(reason.map { ": \($0)" } ?? "")")
        publish()
        scheduleExpiry()
        return override
    }

    /// Returns a check to its observed state.
    public func clearOverride(_ id: String, requestedBy: String?, reason: String? = nil) throws(OverrideError) {
        guard definitions[id] != nil else { throw .unknownCheck(id) }
        guard let replaced = overrides[id] else { return }
        var next = overrides
        next[id] = nil
        try persist(next, change: OverrideChange(checkID: id, action: .cleared, at: now(), override: nil, replaced: replaced,
                                                 requestedBy: requestedBy, reason: reason))
        overrides = next
        logger.notice("health check \(id) override cleared")
        publish()
        scheduleExpiry()
    }

    /// Saves the next overrides with their history entry, all or nothing; the caller
    /// changes memory only after it succeeded, so a failed write changes nothing.
    func persist(_ next: [String: HealthOverride], change: OverrideChange) throws(OverrideError) {
        if let overrideStore {
            do { try overrideStore.commit(next, changes: [change]) } catch { throw .state(error) }
        }
        history.append(change)
    }

    /// Clears overrides whose time is up, then waits for the next one. An expired override
    /// no longer applies whatever the files say (a restart drops it too); if saving fails
    /// it stays listed and saving is retried.
    func expireOverrides() {
        let at = now()
        let expired = overrides.filter { !$0.value.isActive(at: at) }.sorted { $0.key < $1.key }
        guard !expired.isEmpty else { return scheduleExpiry() }
        var next = overrides
        for (id, _) in expired { next[id] = nil }
        let changes = expired.map { OverrideChange(checkID: $0.key, action: .expired, at: at, override: nil, replaced: $0.value,
                                                   requestedBy: nil, reason: "expired") }
        if let overrideStore {
            do {
                try overrideStore.commit(next, changes: changes)
            } catch {
                logger.error("cannot save expired overrides, retrying in \(expiryRetry): \(error)")
                publish()
                expiryTask?.cancel()
                expiryTask = Task { [expiryRetry] in
                    try? await Task.sleep(for: expiryRetry)
                    if Task.isCancelled { return }
                    await self.expireOverrides()
                }
                return
            }
        }
        overrides = next
        history.append(contentsOf: changes)
        for (id, _) in expired { logger.notice("health check \(id) override expired") }
        publish()
        scheduleExpiry()
    }

    func scheduleExpiry() {
        expiryTask?.cancel()
        guard let next = overrides.values.compactMap(\.expires).min() else { return }
        let delay = max(0, next.timeIntervalSince(now()))
        expiryTask = Task {
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000) + 1))
            if Task.isCancelled { return }
            await self.expireOverrides()
        }
    }

    // MARK: Publishing and status

    func publish() {
        let active = overrides.filter { $0.value.isActive(at: now()) }
        let next = HealthEvaluator.evaluate(definitions: definitions, machines: machines, overrides: active)
        let changed = next.mapValues(\.effective) != evaluations.mapValues(\.effective)
        evaluations = next
        guard changed || store.current.effective.count != next.count else { return }
        let snapshot = HealthSnapshot(effective: next.mapValues(\.effective))
        store.publish(snapshot)
        for listener in listeners.values { listener(snapshot) }
    }

    /// Calls `listener` after every published change until the returned token is removed.
    public func addListener(_ listener: @escaping @Sendable (HealthSnapshot) -> Void) -> UUID {
        let token = UUID()
        listeners[token] = listener
        return token
    }

    public func removeListener(_ token: UUID) { listeners[token] = nil }

    public func status() -> [CheckStatus] {
        definitions.keys.sorted().compactMap(status(of:))
    }

    public func status(of id: String) -> CheckStatus? {
        guard let definition = definitions[id] else { return nil }
        let evaluation = evaluations[id] ?? HealthEvaluator.Evaluation(observed: true, effective: true)
        let last = lastResults[id]
        var stale = localFailures[id] != nil
        if !definition.disabled, case .calculated = definition.target {} else if !definition.disabled, probing {
            let allowed = Double(definition.interval) * 3 + Double(definition.timeout) + 4
            let reference = last?.at ?? startedAt
            stale = stale || now().timeIntervalSince(reference) > allowed
        }
        let current = now()
        return CheckStatus(definition: definition, observed: evaluation.observed, effective: evaluation.effective,
                           override: overrides[id].flatMap { $0.isActive(at: current) ? $0 : nil },
                           lastResult: localFailures[id] ?? last, stale: stale, history: history.changes(for: id))
    }

    let startedAt = Date()

    /// Checks whose `region=` is `region`.
    public func checks(inRegion region: String) -> [String] {
        definitions.values.filter { $0.region == region }.map(\.id).sorted()
    }

    /// The current effective states, plus what they would be with `overrides` applied
    /// (used to refuse a change that leaves a name with no healthy set).
    public func effectiveStates(with extra: [String: HealthOverride.State] = [:]) -> [String: Bool] {
        var active = overrides.filter { $0.value.isActive(at: now()) }
        for (id, state) in extra { active[id] = HealthOverride(state: state, setAt: now()) }
        return HealthEvaluator.evaluate(definitions: definitions, machines: machines, overrides: active).mapValues(\.effective)
    }
}

/// A counting semaphore for probes, so a zone with hundreds of checks never opens hundreds
/// of connections at once.
actor ProbeLimiter {
    let limit: Int
    var inUse = 0
    var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = max(1, limit) }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
