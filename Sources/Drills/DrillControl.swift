import AdminContract
import Foundation
import HealthChecks

/// Starts, stops and reports drills (SPEC §8): a drill's overrides go through the health
/// monitor like any evacuation — one write, the safety rule, published at once — tagged
/// with the drill's name, so every instance of a fleet knows which overrides are the
/// drill's and measures what they move.
public actor DrillControl {
    let monitor: HealthMonitor
    let store: any DrillStore
    let recorder: DrillRecorder
    /// Routed names with a set whose health differs between two effective-state maps.
    let affectedNames: @Sendable (_ before: [String: Bool], _ after: [String: Bool]) -> [String]
    let now: @Sendable () -> Date

    public init(monitor: HealthMonitor, store: any DrillStore, recorder: DrillRecorder,
                affectedNames: @escaping @Sendable ([String: Bool], [String: Bool]) -> [String],
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.monitor = monitor
        self.store = store
        self.recorder = recorder
        self.affectedNames = affectedNames
        self.now = now
    }

    /// What a drill start asks for.
    public struct Request: Sendable {
        public var name: String
        public var regions: [String]
        public var duration: TimeInterval?
        public var reason: String?
        public var requestedBy: String?
        public var force: Bool

        public init(name: String, regions: [String], duration: TimeInterval?, reason: String?, requestedBy: String?, force: Bool) {
            self.name = name
            self.regions = regions
            self.duration = duration
            self.reason = reason
            self.requestedBy = requestedBy
            self.force = force
        }
    }

    public func start(_ request: Request) async throws(DrillError) -> AdminJSON.DrillReport {
        guard Drill.isValidName(request.name) else { throw .invalidName(request.name) }
        let regions = Array(Set(request.regions)).sorted()
        guard !regions.isEmpty else { throw .noRegion }
        var checks: [String] = []
        for region in regions {
            let ids = await monitor.checks(inRegion: region)
            guard !ids.isEmpty else { throw .unknownRegion(region) }
            checks += ids
        }
        checks = Array(Set(checks)).sorted()
        let drills = try await all()
        if let running = await runningDrills().first { throw .running(running) }
        guard drills[request.name] == nil else { throw .exists(request.name) }

        let before = await monitor.effectiveStates()
        var after = before
        for id in checks { after[id] = false }
        let affected = affectedNames(before, after)
        let change = HealthChange(checkIDs: checks, action: .set(.down, duration: request.duration),
                                  reason: request.reason ?? "drill \(request.name)", requestedBy: request.requestedBy,
                                  force: request.force, drill: request.name)
        let applied: AppliedChange
        do { applied = try await monitor.apply(change) } catch { throw .health(error) }
        let startedAt = applied.changes.first?.at ?? now()
        let drill = Drill(name: request.name, regions: regions, checks: checks, reason: request.reason, requestedBy: request.requestedBy,
                          startedAt: startedAt, endsAt: request.duration.map { startedAt.addingTimeInterval($0) },
                          revision: applied.revision, affectedNames: affected)
        do { try await store.save(drill) } catch { throw .store("\(error)") }
        return try await report(request.name)
    }

    /// Clears the drill's overrides (those still tagged with it) and marks it stopped.
    /// Stopping a drill that already ended changes nothing.
    public func stop(_ name: String, requestedBy: String?) async throws(DrillError) -> AdminJSON.DrillReport {
        guard var drill = try await all()[name]?.drill else { throw .notFound(name) }
        let ids = await monitor.activeOverrides().filter { $0.value.drill == name }.keys.sorted()
        if !ids.isEmpty {
            do {
                try await monitor.apply(HealthChange(checkIDs: ids, action: .clear, reason: "drill \(name) stopped", requestedBy: requestedBy))
            } catch { throw .health(error) }
            if drill.stoppedAt == nil {
                drill.stoppedAt = now()
                do { try await store.save(drill) } catch { throw .store("\(error)") }
            }
        }
        return try await report(name)
    }

    public func report(_ name: String) async throws(DrillError) -> AdminJSON.DrillReport {
        guard let record = try await all()[name] else { throw .notFound(name) }
        return DrillReportBuilder.report(record, name: name, runningHere: recorder.currentDrill == name, now: now())
    }

    /// Every drill kept, newest first.
    public func list() async throws(DrillError) -> [AdminJSON.DrillReport] {
        let current = recorder.currentDrill
        return try await all().sorted { DrillRecord.startOrder($0.value, $1.value) }.map { name, record in
            DrillReportBuilder.report(record, name: name, runningHere: current == name, now: now())
        }
    }

    /// The drill this instance answers with now, else the newest one (the status page's).
    public func latest() async -> AdminJSON.DrillReport? {
        guard let drills = try? await all(), !drills.isEmpty else { return nil }
        let current = recorder.currentDrill
        let name = current.flatMap { drills[$0] != nil ? $0 : nil } ?? drills.max { DrillRecord.startOrder($1.value, $0.value) }!.key
        return DrillReportBuilder.report(drills[name]!, name: name, runningHere: current == name, now: now())
    }

    /// The stored drills with this instance's own measurements as they are now (they
    /// reach the store in the background).
    func all() async throws(DrillError) -> [String: DrillRecord] {
        var drills: [String: DrillRecord]
        do { drills = try await store.loadAll() } catch { throw .store("\(error)") }
        for name in Set(drills.keys).union(recorder.drillsObserved()) {
            if let mine = recorder.observations(of: name) { drills[name, default: DrillRecord(drill: nil)].observations[recorder.instance] = mine }
        }
        return drills
    }

    /// Drills whose overrides apply (anywhere in the fleet: overrides are shared).
    func runningDrills() async -> [String] {
        Set(await monitor.activeOverrides().values.compactMap(\.drill)).sorted()
    }
}

/// Why a drill request was refused; nothing changed.
public enum DrillError: Error, Sendable, CustomStringConvertible {
    case invalidName(String)
    case noRegion
    case unknownRegion(String)
    case exists(String)
    case running(String)
    case notFound(String)
    case health(HealthChangeError)
    case store(String)

    public var description: String {
        switch self {
        case .invalidName(let name): return "drill name '\(name.prefix(80))' must be 1 to 64 letters, digits, '-', '_' or '.'"
        case .noRegion: return "a drill evacuates at least one region"
        case .unknownRegion(let region): return "no health check has region=\(region)"
        case .exists(let name): return "a drill named '\(name)' is kept already: pick another name"
        case .running(let name): return "drill '\(name)' is running: stop it first (switchyard drill stop \(name))"
        case .notFound(let name): return "no drill named '\(name)'"
        case .health(let error): return error.description
        case .store(let message): return "cannot read or save drills: \(message)"
        }
    }
}
