import Dispatch
import Foundation
import Logging
import Metrics
import ZoneFile
import Zones

/// The one reload procedure: read (from the source) → parse → validate → swap (in the
/// catalog) → report (the hook the server gives it: health checks and the fleet report;
/// then reload metrics and the log). SIGHUP, `POST /v1/reload`, `--watch` and a deploy
/// all come through here, one reload at a time, in the order asked.
public actor ZoneReloader {
    public nonisolated let catalog: ZoneCatalog
    public nonisolated let source: any ZoneSource
    public nonisolated let loader: ZoneSetLoader
    let clock: @Sendable () -> Date
    let logger: Logger
    let counter: ReloadCounter
    var swapped: @Sendable () async -> Void = {}
    /// The reload running or last asked for: the next one waits for it.
    var tail: Task<[ZoneCatalog.ZoneResult], Never>?

    public init(catalog: ZoneCatalog, source: any ZoneSource, limits: ZoneLimits, logger: Logger,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.catalog = catalog
        self.source = source
        self.loader = ZoneSetLoader(limits: limits)
        self.clock = clock
        self.logger = logger
        self.counter = ReloadCounter()
    }

    /// What to do after each swap (update the health checks, send the fleet report).
    public func whenSwapped(_ hook: @escaping @Sendable () async -> Void) {
        swapped = hook
    }

    /// The first load at start: logged, not counted as a reload.
    public func loadInitial() async -> [ZoneCatalog.ZoneResult] {
        await enqueue(version: nil, counted: false)
    }

    /// Loads the source's current version (a folder as it is, the commit the ref names).
    @discardableResult
    public func reload() async -> [ZoneCatalog.ZoneResult] {
        await enqueue(version: nil, counted: true)
    }

    /// Loads that exact commit (for a deploy); a folder source refuses it.
    @discardableResult
    public func reload(toCommit commit: String) async -> [ZoneCatalog.ZoneResult] {
        await enqueue(version: commit, counted: true)
    }

    func enqueue(version: String?, counted: Bool) async -> [ZoneCatalog.ZoneResult] {
        let previous = tail
        let next = Task {
            _ = await previous?.value
            return await self.perform(version: version, counted: counted)
        }
        tail = next
        return await next.value
    }

    func perform(version: String?, counted: Bool) async -> [ZoneCatalog.ZoneResult] {
        let (source, loader) = (self.source, self.loader)
        let loaded = await offPool { () throws(ZoneSourceError) in try loader.load(from: source, version: version) }
        let results: [ZoneCatalog.ZoneResult]
        switch loaded {
        case .success(let load): results = await catalog.apply(load, at: clock())
        case .failure(let error): results = await catalog.refuse(error)
        }
        await swapped()
        ProcessHeap.releaseFreePages()
        ProcessHeap.backWithHugePagesInBackground()
        if counted { counter.record(results, sourceFailed: (try? loaded.get()) == nil) }
        log(results)
        if case .failure(let error) = loaded { logger.error("\(error)") }
        return results
    }

    func log(_ results: [ZoneCatalog.ZoneResult]) {
        for result in results {
            let at = result.commit.map { " at commit \($0)" } ?? ""
            switch result.outcome {
            case .loaded: logger.info("zone \(result.origin ?? result.file) loaded from \(result.file)\(at)")
            case .removed: logger.notice("zone \(result.origin ?? result.file) removed: \(result.file) is gone\(at)")
            case .failed, .failedKeptPrevious:
                let kept = result.outcome == .failedKeptPrevious ? "; the previous version keeps serving" : ""
                logger.error("zone \(result.origin ?? result.file) failed to load\(at)\(kept)")
                for error in result.errors { logger.error("\(error)") }
            }
        }
    }
}

/// Counts reloads for `/metrics`. Both result series exist from the start at 0 (SPEC §4),
/// so a rate or an alert on failures works before the first reload.
struct ReloadCounter: Sendable {
    let ok = Counter(label: "switchyard_zone_reloads_total", dimensions: [("result", "ok")])
    let failed = Counter(label: "switchyard_zone_reloads_total", dimensions: [("result", "failed")])

    /// `sourceFailed`: nothing could be read at all (a ref gone, a folder missing) — a
    /// failed reload even when no zone was served yet to report it against.
    func record(_ results: [ZoneCatalog.ZoneResult], sourceFailed: Bool) {
        (sourceFailed || results.contains(where: \.failed) ? failed : ok).increment()
        for result in results where result.failed {
            Counter(label: "switchyard_zone_load_errors_total", dimensions: [("zone", result.origin ?? result.file)]).increment()
        }
    }
}
