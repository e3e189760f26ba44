import AdminContract
import Authority
import DNSWire
import Foundation
import HealthChecks
import Hummingbird
import Routing
import Zones

/// The routes of SPEC §4 over an `AdminBackend`.
public enum AdminRoutes {
    /// `site` checks `Host` and `Origin` (the server always gives one; in-memory route
    /// tests may leave it out). Then the token, then the content type of writes.
    /// `status` feeds the status page's answer shares and drill (`GET /`, `/v1/status`);
    /// by default the backend's answer history and drills.
    public static func router(backend: AdminBackend, token: String?, site: AdminSitePolicy? = nil,
                              status: StatusFeeds? = nil) -> Router<BasicRequestContext> {
        let status = status ?? StatusFeeds.of(backend)
        let router = Router()
        if let site { router.add(middleware: SiteGuardMiddleware(policy: site)) }
        if let token { router.add(middleware: BearerTokenMiddleware(token: token)) }
        router.add(middleware: JSONWritesMiddleware())
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.get("/") { _, _ in StatusPage.response() }
        router.get("/v1/status") { _, _ in await StatusRoute.response(backend: backend, feeds: status) }
        router.get("/metrics") { _, _ in await AdminMetrics.render(backend) }
        router.get("/v1/health-checks") { _, _ in
            AdminJSON.HealthCheckList(healthChecks: await backend.monitor.status().map { HealthCheckJSON.make($0, history: false) })
        }
        router.get("/v1/health-checks/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard let status = await backend.monitor.status(of: id) else { throw AdminError.notFound("no health check '\(id)'") }
            return HealthCheckJSON.make(status, history: true)
        }
        router.put("/v1/health-checks/{id}/override") { request, context in
            let id = try context.parameters.require("id")
            let intent = try await OverrideRequestParser.decode(request, allowEmpty: false)
            let applied = try await OverrideActions.set([id], state: intent.state ?? .down, intent: intent, backend: backend)
            return try await HealthCheckJSON.written([id], applied: applied, backend: backend, history: false)[0]
        }
        router.delete("/v1/health-checks/{id}/override") { request, context in
            let id = try context.parameters.require("id")
            let applied = try await OverrideActions.clear([id], backend: backend, requestedBy: OverrideActions.requester(nil))
            return try await HealthCheckJSON.written([id], applied: applied, backend: backend, history: true)[0]
        }
        router.post("/v1/regions/{region}/evacuate") { request, context in
            let region = try context.parameters.require("region")
            let intent = try await OverrideRequestParser.decode(request, allowEmpty: true)
            let ids = await backend.monitor.checks(inRegion: region)
            guard !ids.isEmpty else { throw AdminError.notFound("no health check has region=\(region)") }
            let applied = try await OverrideActions.set(ids, state: .down, intent: intent, backend: backend)
            return AdminJSON.RegionResult(region: region, action: "evacuate",
                                          healthChecks: try await HealthCheckJSON.written(ids, applied: applied, backend: backend, history: false),
                                          revision: applied.revision)
        }
        router.post("/v1/regions/{region}/restore") { request, context in
            let region = try context.parameters.require("region")
            let intent = try await OverrideRequestParser.decode(request, allowEmpty: true)
            let ids = await backend.monitor.checks(inRegion: region)
            guard !ids.isEmpty else { throw AdminError.notFound("no health check has region=\(region)") }
            let applied = try await OverrideActions.clear(ids, backend: backend, requestedBy: OverrideActions.requester(intent.requestedBy))
            return AdminJSON.RegionResult(region: region, action: "restore",
                                          healthChecks: try await HealthCheckJSON.written(ids, applied: applied, backend: backend, history: false),
                                          revision: applied.revision)
        }
        router.post("/v1/deploy") { request, _ in try await DeployRoute.deploy(request, backend: backend) }
        router.get("/v1/fleet") { _, _ in FleetJSON.make(await backend.monitor.fleet()) }
        router.post("/v1/reload") { _, _ in
            let results = await backend.reload()
            return AdminJSON.ReloadResult(ok: results.allSatisfy { !$0.failed }, zones: results.map(ReloadJSON.outcome))
        }
        router.get("/v1/zones") { _, _ in
            AdminJSON.ZoneList(zones: await backend.catalog.allEntries.map { entry in
                AdminJSON.Zone(file: entry.file, origin: entry.origin?.description, serial: entry.zone?.serial,
                               records: entry.zone?.recordCount, loadedAt: entry.loadedAt,
                               lastError: entry.lastErrors.first?.description, errors: entry.lastErrors.map(\.description),
                               commit: entry.commit)
            })
        }
        router.get("/v1/explain") { request, _ in try await ExplainRoute.explain(request, backend: backend) }
        DrillRoutes.add(to: router, backend: backend)
        router.post("/v1/whatif") { request, _ in try await WhatIfRoute.whatIf(request, backend: backend) }
        return router
    }
}

/// Converts monitor status into the API's health-check JSON.
enum HealthCheckJSON {
    static func word(_ outcome: ProbeResult.Outcome) -> String {
        switch outcome {
        case .passed: return "pass"
        case .failed: return "fail"
        case .localError: return "local failure"
        }
    }

    /// The checks a write changed, each showing the revision the write created.
    static func written(_ ids: [String], applied: AppliedChange, backend: AdminBackend, history: Bool) async throws -> [AdminJSON.HealthCheck] {
        var result: [AdminJSON.HealthCheck] = []
        for id in ids {
            guard let status = await backend.monitor.status(of: id) else { throw AdminError.notFound("no health check '\(id)'") }
            var check = make(status, history: history)
            check.revision = applied.revision
            result.append(check)
        }
        return result
    }

    static func make(_ status: CheckStatus, history: Bool) -> AdminJSON.HealthCheck {
        let d = status.definition
        return AdminJSON.HealthCheck(
            id: d.id, target: d.target.description, region: d.region,
            observed: status.observed ? "healthy" : "unhealthy",
            override: status.override?.state.rawValue, overrideExpires: status.override?.expires,
            overrideReason: status.override?.reason, overrideBy: status.override?.requestedBy,
            effective: status.effective ? "healthy" : "unhealthy",
            lastCheckedAt: status.lastResult?.at,
            lastResult: status.lastResult.map { "\(HealthCheckJSON.word($0.outcome)): \($0.reason)" },
            stale: status.stale, inverted: d.inverted, disabled: d.disabled,
            interval: Int(d.interval), threshold: d.threshold,
            history: history ? status.history.map { change in
                AdminJSON.OverrideHistoryEntry(action: change.action.rawValue, at: change.at, state: change.override?.state.rawValue,
                                               expires: change.override?.expires, replaced: change.replaced?.state.rawValue,
                                               requestedBy: change.requestedBy, reason: change.reason)
            } : nil,
            revision: status.revision, vantages: d.vantages.rawValue,
            observations: status.observations.map { .init(vantage: $0.vantage, healthy: $0.healthy, at: $0.at, live: $0.live) })
    }
}

/// Converts the monitor's fleet view into the API's JSON.
enum FleetJSON {
    static func make(_ fleet: FleetView) -> AdminJSON.FleetReport {
        AdminJSON.FleetReport(
            cluster: fleet.cluster, prefix: fleet.prefix, revision: fleet.revision, inSync: fleet.inSync,
            instances: fleet.instances.map { report in
                AdminJSON.FleetInstance(name: report.name, vantage: report.vantage, admin: report.admin,
                                        zones: report.zones.map { .init(origin: $0.origin, serial: $0.serial, digest: $0.digest) },
                                        stateRevision: report.stateRevision, connected: report.connected,
                                        updatedAt: report.updatedAt, startedAt: report.startedAt, commit: report.commit)
            })
    }
}

/// One zone's reload result as the API writes it (reload and deploy answers).
public enum ReloadJSON {
    public static func outcome(_ result: ZoneCatalog.ZoneResult) -> AdminJSON.ReloadResult.ZoneOutcome {
        .init(file: result.file, origin: result.origin, result: result.outcome.rawValue, errors: result.errors.map(\.description),
              commit: result.commit)
    }
}
