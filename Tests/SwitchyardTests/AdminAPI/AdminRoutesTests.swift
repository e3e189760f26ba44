import AdminAPI
import Authority
import Foundation
import HTTPTypes
import HealthChecks
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import Prometheus
import Testing
import Zones
import ZoneSources

/// Every route of SPEC §4 in memory, through Hummingbird's router test client.
@Suite struct AdminRoutesTests {
    static let zone = """
    $ORIGIN admin.test.
    $TTL 60
    @   IN SOA ns hostmaster 7 3600 900 1209600 60
    @   IN NS  ns
    ns  IN A   127.0.0.1
    $HEALTHCHECK p http://127.0.0.1:9/health region=us-east-1
    $HEALTHCHECK s http://127.0.0.1:9/health region=eu-west-1
    app [failover id=primary role=primary health=p]   60 IN A 192.0.2.1
    app [failover id=standby role=secondary health=s] 60 IN A 192.0.2.2
    """

    struct Fixture {
        let folder: TemporaryFolder
        let backend: AdminBackend
        let group: MultiThreadedEventLoopGroup
        let prober: NetworkProber

        func router(token: String? = nil) -> Router<BasicRequestContext> {
            AdminRoutes.router(backend: backend, token: token)
        }

        func close() async throws {
            await prober.shutdown()
            try await group.shutdownGracefully()
            folder.remove()
        }
    }

    /// `prepare` runs on the folder before the monitor reads its state (`state/`).
    static func fixture(zone: String = zone, prepare: (TemporaryFolder) throws -> Void = { _ in }) async throws -> Fixture {
        let folder = try TemporaryFolder(prefix: "admin")
        try zone.write(to: folder.file("admin.test.zone"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.file("state"), withIntermediateDirectories: true)
        try prepare(folder)
        let store = ZoneStore(ZoneSet.empty)
        let reloader = ZoneReloader.folder(folder.url.path, store: store)
        await reloader.reload()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let health = HealthStore()
        let monitor = HealthMonitor(store: health, overrideStore: OverrideStore(directory: folder.file("state").path), prober: prober,
                                    logger: Logger(label: "t"))
        try await monitor.restoreOverrides()
        await monitor.update(Array(store.current.healthChecks.values))
        await reloader.whenSwapped { await monitor.update(Array(store.current.healthChecks.values)) }
        let backend = AdminBackend(authority: Authority(), zones: store, catalog: reloader.catalog, monitor: monitor, health: health,
                                   registry: PrometheusCollectorRegistry(), reload: {
                                       await reloader.reload()
                                   })
        return Fixture(folder: folder, backend: backend, group: group, prober: prober)
    }

    static func json(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    static let jsonType: HTTPFields = [.contentType: "application/json"]

    static func body(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: Array(try! JSONSerialization.data(withJSONObject: object)))
    }

    @Test func listsAndShowsChecks() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router()).test(.router) { client in
            try await client.execute(uri: "/v1/health-checks", method: .get) { response in
                #expect(response.status == .ok)
                let checks = Self.json(response)["healthChecks"] as? [[String: Any]] ?? []
                #expect(checks.map { $0["id"] as? String } == ["p", "s"])
                let p = checks[0]
                for key in ["id", "target", "region", "observed", "effective", "stale"] { #expect(p[key] != nil, "missing \(key)") }
                #expect(p["effective"] as? String == "healthy")
            }
            try await client.execute(uri: "/v1/health-checks/nope", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
        try await f.close()
    }

    @Test func overridesNameBadFieldsAndRefuseLeavingANameWithoutHealthySets() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router()).test(.router) { client in
            try await client.execute(uri: "/v1/health-checks/p/override", method: .put, headers: Self.jsonType, body: Self.body(["state": "sideways"])) { response in
                #expect(response.status == .badRequest)
                #expect(Self.json(response)["field"] as? String == "state")
            }
            try await client.execute(uri: "/v1/health-checks/p/override", method: .put, headers: Self.jsonType, body: Self.body(["state": "down", "for": "soon"])) { response in
                #expect(response.status == .badRequest)
                #expect(Self.json(response)["field"] as? String == "for")
            }
            try await client.execute(uri: "/v1/health-checks/p/override", method: .put,
                                     headers: Self.jsonType, body: Self.body(["state": "down", "for": "15m", "reason": "drill", "requestedBy": "ops"])) { response in
                #expect(response.status == .ok)
                let check = Self.json(response)
                #expect(check["override"] as? String == "down")
                #expect(check["effective"] as? String == "unhealthy")
                #expect(check["overrideExpires"] != nil)
            }
            try await client.execute(uri: "/v1/health-checks/s/override", method: .put, headers: Self.jsonType, body: Self.body(["state": "down"])) { response in
                #expect(response.status == .conflict)
                #expect(Self.json(response)["names"] as? [String] == ["app.admin.test. A"])
            }
            try await client.execute(uri: "/v1/health-checks/s/override", method: .put, headers: Self.jsonType, body: Self.body(["state": "down", "force": true])) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/health-checks/p", method: .get) { response in
                let history = Self.json(response)["history"] as? [[String: Any]] ?? []
                #expect(history.first?["requestedBy"] as? String == "ops")
                #expect(history.first?["reason"] as? String == "drill")
            }
            try await client.execute(uri: "/v1/health-checks/p/override", method: .delete) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response)["override"] == nil || Self.json(response)["override"] is NSNull)
            }
        }
        try await f.close()
    }

    @Test func evacuatesAndRestoresARegion() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router()).test(.router) { client in
            try await client.execute(uri: "/v1/regions/us-east-1/evacuate", method: .post, headers: Self.jsonType, body: Self.body(["for": "10m"])) { response in
                #expect(response.status == .ok)
                #expect((Self.json(response)["healthChecks"] as? [[String: Any]])?.first?["effective"] as? String == "unhealthy")
            }
            #expect(!f.backend.health.current.isHealthy("p"))
            try await client.execute(uri: "/v1/regions/us-east-1/restore", method: .post) { response in
                #expect(response.status == .ok)
            }
            #expect(f.backend.health.current.isHealthy("p"))
            try await client.execute(uri: "/v1/regions/mars-north-1/evacuate", method: .post) { response in
                #expect(response.status == .notFound)
            }
        }
        try await f.close()
    }

    @Test func writesNeedTheBearerTokenReadsDoNot() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router(token: "s3cret")).test(.router) { client in
            try await client.execute(uri: "/v1/health-checks", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/reload", method: .post) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/reload", method: .post, headers: [.authorization: "Bearer wrong"]) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/reload", method: .post, headers: [.authorization: "Bearer s3cret"]) { #expect($0.status == .ok) }
        }
        try await f.close()
    }

    @Test func reloadKeepsTheOldZoneWhenTheNewOneIsBroken() async throws {
        let f = try await Self.fixture()
        try await Application(router: f.router()).test(.router) { client in
            try (Self.zone + "\nbroken IN A 999.1.1.1\n").write(to: f.folder.file("admin.test.zone"), atomically: true, encoding: .utf8)
            try await client.execute(uri: "/v1/reload", method: .post) { response in
                let zones = Self.json(response)["zones"] as? [[String: Any]] ?? []
                #expect(Self.json(response)["ok"] as? Bool == false)
                #expect(zones.first?["result"] as? String == "failed-kept-previous")
                #expect((zones.first?["errors"] as? [String])?.first?.contains("admin.test.zone:10:") == true)
            }
            try await client.execute(uri: "/v1/zones", method: .get) { response in
                let zone = (Self.json(response)["zones"] as? [[String: Any]])?.first
                #expect(zone?["origin"] as? String == "admin.test.")
                #expect(zone?["serial"] as? Int == 7)
                #expect((zone?["lastError"] as? String)?.contains("999.1.1.1") == true)
            }
            #expect(f.backend.zones.current.zones.count == 1)
        }
        try await f.close()
    }

    @Test func explainsAndExportsMetrics() async throws {
        let f = try await Self.fixture()
        _ = try await f.backend.monitor.setOverride("p", state: .down, duration: nil, reason: nil, requestedBy: nil)
        try await Application(router: f.router()).test(.router) { client in
            try await client.execute(uri: "/v1/explain?name=app.admin.test&type=A&subnet=198.51.100.0/24", method: .get) { response in
                let body = Self.json(response)
                #expect(body["answer"] as? [String] == ["app.admin.test.\t60\tIN\tA\t192.0.2.2"])
                let trail = body["trail"] as? [[String: Any]] ?? []
                #expect(trail.contains { $0["verdict"] as? String == "skipped-unhealthy" && $0["set"] as? String == "primary" })
            }
            try await client.execute(uri: "/v1/explain?type=A", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(Self.json(response)["field"] as? String == "name")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("switchyard_health_check_healthy{id=\"p\",region=\"us-east-1\"} 0"))
                #expect(text.contains("switchyard_health_overrides_active 1"))
                #expect(text.contains("switchyard_zone_records{zone=\"admin.test.\"} 5"))
            }
        }
        try await f.close()
    }
}
