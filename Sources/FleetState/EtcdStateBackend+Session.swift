import Etcd
import Foundation
import HealthChecks

extension EtcdStateBackend {
    /// Reads everything: the overrides (whose read revision the watch resumes after),
    /// instance reports, observations and the newest history entries.
    func loadAll() async throws(EtcdError) -> (SharedHealthState, [OverrideChange]) {
        let overrides = try await client.range(keys.overrides)
        let instances = try await client.range(keys.instances, prefix: true)
        let observations = try await client.range(keys.observations, prefix: true)
        let history = try await client.range(keys.history, prefix: true, limit: Int64(EtcdStateBackend.historyKept),
                                              sortDescendingByKey: true)
        let deploy = try await client.range(keys.deploy)
        var shared = SharedHealthState()
        if let kv = overrides.kvs.first, case .overrides(let current)? = FleetEntry(key: kv.key, value: kv.value, keys: keys) {
            shared.overrides = current
            shared.revision = kv.modRevision
        }
        for kv in instances.kvs + observations.kvs {
            if let entry = FleetEntry(key: kv.key, value: kv.value, keys: keys) { _ = shared.take(entry) }
        }
        let changes = history.kvs.reversed().compactMap { kv -> OverrideChange? in
            guard case .history(let change, _)? = FleetEntry(key: kv.key, value: kv.value, keys: keys) else { return nil }
            return change
        }
        let state = mirror.withLock { mirror -> SharedHealthState in
            // A commit answered meanwhile may already know a newer override revision.
            if mirror.shared.revision > shared.revision {
                shared.overrides = mirror.shared.overrides
                shared.revision = mirror.shared.revision
            }
            mirror.shared = shared
            mirror.watchedRevision = overrides.revision
            mirror.historyLoadedThrough = history.revision
            return shared
        }
        setConnected(true)
        saveLocalCopy(state, authoritative: true)
        if let kv = deploy.kvs.first, case .deploy(let request)? = FleetEntry(key: kv.key, value: kv.value, keys: keys) {
            noteDeploy(request)
        } else {
            noteDeploy(nil)
        }
        return (state, changes)
    }

    /// Follows the cluster until cancelled: watches from the last revision seen; when the
    /// watch breaks, resumes at once on another member, or, when no member answers,
    /// reports the cluster unreachable and tries again every half second. A compacted
    /// revision means a full read.
    func follow() async {
        // Started without etcd (served from the local copy): read everything first.
        var needsFullLoad = mirror.withLock { $0.watchedRevision == 0 }
        while !Task.isCancelled {
            do throws(EtcdError) {
                if needsFullLoad {
                    let (state, history) = try await loadAll()
                    emit(.resync(state))
                    if !history.isEmpty { emit(.history(history)) }
                    needsFullLoad = false
                }
                let from = mirror.withLock { $0.watchedRevision } + 1
                do {
                    for try await batch in client.watch(prefix: keys.prefix, fromRevision: from) {
                        setConnected(true)
                        apply(batch)
                    }
                } catch let error as EtcdError {
                    throw error
                } catch {
                    throw EtcdError.malformed("\(error)")
                }
            } catch .compacted {
                needsFullLoad = true
                continue
            } catch {
                if Task.isCancelled { return }
                if !error.isUnavailable {
                    // Not an outage (an answer not understood, a watch etcd cancelled): it
                    // may repeat, so say so and pause before watching again.
                    logger.warning("the watch of \(location) ended: \(error); watching again in 500 ms")
                    try? await Task.sleep(for: .milliseconds(500))
                    continue
                }
                // The watch's member may be gone while others serve: ask one.
                do {
                    _ = try await client.range(keys.overrides, countOnly: true)
                    setConnected(true)
                    continue
                } catch {
                    setConnected(false)
                }
            }
            try? await Task.sleep(for: .milliseconds(500))
            // After an outage, read everything again: leases may have expired meanwhile.
            if !isConnected { needsFullLoad = true }
        }
    }

    /// Applies one watch batch to the mirror and tells the monitor what changed.
    func apply(_ batch: EtcdWatchBatch) {
        var newHistory: [OverrideChange] = []
        var deploy: DeployRequest?? = nil
        var changed = false
        var overridesChanged = false
        let state = mirror.withLock { mirror -> SharedHealthState in
            for event in batch.events {
                guard let entry = FleetEntry(key: event.kv.key, value: event.kind == .put ? event.kv.value : nil, keys: keys) else { continue }
                switch entry {
                case .overrides(let overrides):
                    guard event.kv.modRevision >= mirror.shared.revision else { continue }
                    mirror.shared.overrides = overrides
                    mirror.shared.revision = event.kv.modRevision
                    changed = true
                    overridesChanged = true
                case .deploy(let request):
                    deploy = .some(request)
                case .history(let change, let key):
                    // Entries of this instance's own commits are recorded when committed.
                    if event.kv.createRevision > mirror.historyLoadedThrough, !keys.isHistory(key, writtenBy: instance) {
                        newHistory.append(change)
                    }
                case .instance, .observation:
                    changed = mirror.shared.take(entry) || changed
                }
            }
            // Not the header's revision: while a watch catches up, a batch's header already
            // names the newest revision though more events are still to come.
            mirror.watchedRevision = max(mirror.watchedRevision, batch.resumeRevision - 1)
            return mirror.shared
        }
        if overridesChanged { saveLocalCopy(state) }
        if let deploy { noteDeploy(deploy) }
        if changed { emit(.state(state)) }
        if !newHistory.isEmpty { emit(.history(newHistory)) }
    }

    func emit(_ event: SharedStateEvent) {
        _ = mirror.withLock { $0.continuation }?.yield(event)
    }

    /// Keeps this instance's lease alive (a third of its time-to-live apart); when it is
    /// gone (expired during an outage), takes a new one and writes the report and every
    /// observation again under it.
    func keepLease() async {
        while !Task.isCancelled {
            let lease = mirror.withLock { $0.lease }
            do throws(EtcdError) {
                if let lease {
                    if try await client.keepAlive(lease: lease) <= 0 {
                        mirror.withLock { $0.lease = nil }
                        continue
                    }
                } else {
                    let granted = try await client.grantLease(ttl: leaseTTL)
                    mirror.withLock { $0.lease = granted }
                    outbox.withLock { box in
                        box.pendingObservations = Set(box.observations.keys)
                        box.reportPending = box.report != nil
                    }
                    wake.yield()
                }
            } catch {
                try? await Task.sleep(for: .milliseconds(500))
                continue
            }
            try? await Task.sleep(for: .milliseconds(Int(leaseTTL) * 1000 / 3))
        }
    }

    /// Writes the pending observations and report under the lease, newest value of each,
    /// whenever woken; what fails stays pending and is retried.
    func writeOutbox() async {
        for await _ in wakes {
            if Task.isCancelled { return }
            while !Task.isCancelled {
                guard let lease = mirror.withLock({ $0.lease }) else { break }
                let (ids, observations, report) = outbox.withLock { box -> ([String], [String: VantageObservation], InstanceReport?) in
                    let ids = box.pendingObservations.sorted()
                    box.pendingObservations = []
                    let report = box.reportPending ? box.report : nil
                    box.reportPending = false
                    return (ids, box.observations, report)
                }
                if ids.isEmpty && report == nil { break }
                var failed: [String] = []
                for id in ids {
                    guard let seen = observations[id] else { continue }
                    if await !writeOwnKey(keys.observation(vantage: vantage, check: id), value: FleetCodec.encode(seen), lease: lease) {
                        failed.append(id)
                    }
                }
                var reportFailed = false
                if let report {
                    reportFailed = await !writeOwnKey(keys.instance(instance), value: FleetCodec.encode(report), lease: lease)
                }
                if !failed.isEmpty || reportFailed {
                    outbox.withLock { box in
                        box.pendingObservations.formUnion(failed)
                        if reportFailed && !box.reportPending { box.reportPending = true }
                    }
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
        }
    }

    /// Writes one of the keys only this instance writes, over the modification it last
    /// knew of that key: a put that timed out here but stayed in a member's log (committed
    /// later, when a restarted cluster elects a leader holding it) then finds the key
    /// changed and does nothing, instead of replacing the newer value written since. A key
    /// changed by anything else is read, and written again over what it holds. Returns
    /// whether the value is stored.
    func writeOwnKey(_ key: String, value: [UInt8], lease: Int64) async -> Bool {
        // Twice is enough unless something else keeps writing the key.
        for _ in 0..<3 {
            let write = Self.ownKeyWrite(key, value: value, lease: lease, over: outbox.withLock { $0.storedRevisions[key] ?? 0 })
            guard let result = try? await client.txn(compare: write.compare, success: write.success, failure: write.failure) else {
                return false
            }
            let current = result.succeeded ? result.revision : result.ranges.first?.kvs.first?.modRevision ?? 0
            outbox.withLock { $0.storedRevisions[key] = current }
            if result.succeeded { return true }
        }
        return false
    }

    /// The transaction of `writeOwnKey`: put `value` if `key` was last modified at
    /// `revision`, else read it.
    static func ownKeyWrite(_ key: String, value: [UInt8], lease: Int64, over revision: Int64)
        -> (compare: [EtcdCompare], success: [EtcdOperation], failure: [EtcdOperation]) {
        ([.modRevision(key: key, equals: revision)], [.put(key: key, value: value, lease: lease)], [.range(key: key)])
    }

    /// Deletes the oldest history entries beyond `historyKept`.
    func pruneHistory() async {
        guard let count = try? await client.range(keys.history, prefix: true, countOnly: true).count,
              count > Int64(EtcdStateBackend.historyKept) else { return }
        let excess = count - Int64(EtcdStateBackend.historyKept)
        guard let oldest = try? await client.range(keys.history, prefix: true, limit: excess, keysOnly: true),
              let first = oldest.kvs.first?.key, let last = oldest.kvs.last?.key else { return }
        _ = try? await client.deleteRange(from: first, to: last + "\u{0}")
    }
}
