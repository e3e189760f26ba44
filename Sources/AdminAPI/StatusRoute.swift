import AdminContract
import Foundation
import HealthChecks
import Hummingbird

/// `GET /v1/status` (SPEC §8): one read with everything the status page at `/` shows.
/// Read-only, so `BearerTokenMiddleware` lets it through without a token.
enum StatusRoute {
    static func response(backend: AdminBackend, feeds: StatusFeeds) async -> EditedResponse<AdminJSON.Status> {
        // Polled every second by the page: no cache may answer in the server's place.
        EditedResponse(headers: [.cacheControl: "no-store"], response: await status(backend: backend, feeds: feeds, now: Date()))
    }

    static func status(backend: AdminBackend, feeds: StatusFeeds, now: Date) async -> AdminJSON.Status {
        let checks = await backend.monitor.status().map { check(of: $0, now: now) }.sorted { $0.id < $1.id }
        // A single server has no instance name worth showing; in a fleet it tells the
        // people watching which member this page reads from.
        let instance = backend.monitor.backend.cluster == nil ? nil : backend.monitor.instance
        return AdminJSON.Status(generatedAt: now, instance: instance, windowSeconds: feeds.windowSeconds,
                                bucketSeconds: feeds.bucketSeconds, checks: checks, regions: regions(of: checks),
                                names: await feeds.names(now), drill: await feeds.drill())
    }

    static func check(of status: CheckStatus, now: Date) -> AdminJSON.StatusCheck {
        let expires = status.override?.expires
        return AdminJSON.StatusCheck(
            id: status.id, region: status.definition.region, target: status.definition.target.description,
            observed: status.observed ? "healthy" : "unhealthy", override: status.override?.state.rawValue,
            overrideReason: status.override?.reason, effective: status.effective ? "healthy" : "unhealthy",
            overrideExpires: expires, secondsLeft: expires.map { secondsLeft(until: $0, now: now) })
    }

    /// Rounded up, so an override shows "1 s" until it has really gone, never "0 s" early.
    static func secondsLeft(until expires: Date, now: Date) -> Int {
        max(0, Int(expires.timeIntervalSince(now).rounded(.up)))
    }

    /// One entry per `region=` named by a check, by region name; checks without a region
    /// are in the checks table only.
    static func regions(of checks: [AdminJSON.StatusCheck]) -> [AdminJSON.StatusRegion] {
        var byRegion: [String: AdminJSON.StatusRegion] = [:]
        for check in checks {
            guard let region = check.region else { continue }
            var entry = byRegion[region] ?? AdminJSON.StatusRegion(region: region, checks: 0, healthy: 0, overridden: 0)
            entry.checks += 1
            if check.effective == "healthy" { entry.healthy += 1 }
            if check.override != nil { entry.overridden += 1 }
            byRegion[region] = entry
        }
        return byRegion.values.sorted { $0.region < $1.region }
    }
}

extension AdminJSON.Status: ResponseEncodable {}

/// The parts of `GET /v1/status` that other components keep: each routed name's answers
/// per set over the window, and the drill in progress (else the last one). Without them
/// (`.none`) the page shows its empty states.
public struct StatusFeeds: Sendable {
    public var names: @Sendable (_ now: Date) async -> [AdminJSON.StatusName]
    public var drill: @Sendable () async -> AdminJSON.DrillReport?
    /// How far back `names` reach, and one bucket's width (SPEC §8: "the last minutes").
    public var windowSeconds: Int
    public var bucketSeconds: Int

    public init(names: @escaping @Sendable (_ now: Date) async -> [AdminJSON.StatusName],
                drill: @escaping @Sendable () async -> AdminJSON.DrillReport?, windowSeconds: Int = 300, bucketSeconds: Int = 5) {
        self.names = names
        self.drill = drill
        self.windowSeconds = windowSeconds
        self.bucketSeconds = bucketSeconds
    }

    public static let none = StatusFeeds(names: { _ in [] }, drill: { nil })
}
