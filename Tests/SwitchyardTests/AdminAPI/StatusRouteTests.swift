import AdminAPI
import AdminContract
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// SPEC §8: the status page at `/` and the `/v1/status` it reads, in memory through
/// Hummingbird's router test client.
@Suite struct StatusRouteTests {
    static func decode(_ response: TestResponse) throws -> AdminJSON.Status {
        try AdminJSON.decoder().decode(AdminJSON.Status.self, from: Data(response.body.readableBytesView))
    }

    @Test func pageAndStatusAreReadWithoutTheTokenThatWritesNeed() async throws {
        let f = try await AdminRoutesTests.fixture()
        try await Application(router: f.router(token: "s3cret")).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-store")
                let status = try Self.decode(response)
                #expect(status.checks.map(\.id) == ["p", "s"])
            }
            // The same server still refuses a write without the token.
            try await client.execute(uri: "/v1/health-checks/p/override", method: .put, headers: AdminRoutesTests.jsonType,
                                     body: AdminRoutesTests.body(["state": "down"])) { response in
                #expect(response.status == .unauthorized)
            }
        }
        try await f.close()
    }

    /// Over the real server with a token: the page and its data are read without it from
    /// the API's own address, and not at all through a rebound name.
    @Test func pageAndStatusAreOpenToTheOwnSiteOnlyOverTheRealServer() async throws {
        let server = try await LiveAdminServer.start(token: "s3cret")
        for path in ["/", "/v1/status"] {
            let own = try await RawHTTP.exchange(port: server.port, RawHTTP.request("GET", path, host: server.host))
            #expect(own.status == 200, "\(path): \(own.head)")
            let rebound = try await RawHTTP.exchange(port: server.port, RawHTTP.request("GET", path, host: "rebind.attacker.example:\(server.port)"))
            #expect(rebound.status == 403, "\(path): \(rebound.head)")
            #expect(!rebound.body.contains("<html") && !rebound.body.contains("\"checks\""))
        }
        try await server.stop()
    }

    @Test func pageForbidsEveryOutsideSourceAndNamesNone() async throws {
        let f = try await AdminRoutesTests.fixture()
        try await Application(router: f.router()).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                let policy = response.headers[.contentSecurityPolicy] ?? ""
                for directive in ["default-src 'none'", "connect-src 'self'", "img-src data:", "frame-ancestors 'none'"] {
                    #expect(policy.contains(directive), "missing \(directive) in \(policy)")
                }
                let html = String(buffer: response.body)
                #expect(html.hasPrefix("<!doctype html>"))
                #expect(html.contains("fetch(\"/v1/status\""))
                // Nothing that could load from elsewhere: no URL scheme, no src/href, no CSS import.
                for needle in ["http:", "https:", "src=", "href=", "@import", "url("] {
                    #expect(!html.lowercased().contains(needle), "the page contains \(needle)")
                }
            }
        }
        try await f.close()
    }

    @Test func statusShowsOverridesTimeLeftAndRegionCounts() async throws {
        let f = try await AdminRoutesTests.fixture()
        try await Application(router: f.router()).test(.router) { client in
            try await client.execute(uri: "/v1/health-checks/p/override", method: .put, headers: AdminRoutesTests.jsonType,
                                     body: AdminRoutesTests.body(["state": "down", "for": "15m", "reason": "drill 7"])) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/status", method: .get) { response in
                let status = try Self.decode(response)
                #expect(status.instance == nil)
                #expect(status.windowSeconds == 300 && status.bucketSeconds == 5)
                #expect(status.names.isEmpty && status.drill == nil)
                #expect(status.checks.map(\.id) == ["p", "s"])
                let p = try #require(status.checks.first)
                #expect(p.region == "us-east-1" && p.observed == "healthy")
                #expect(p.override == "down" && p.overrideReason == "drill 7" && p.effective == "unhealthy")
                #expect(p.overrideExpires != nil)
                #expect((890...900).contains(p.secondsLeft ?? -1), "secondsLeft \(String(describing: p.secondsLeft))")
                let s = status.checks[1]
                #expect(s.override == nil && s.secondsLeft == nil && s.effective == "healthy")
                #expect(status.regions == [
                    AdminJSON.StatusRegion(region: "eu-west-1", checks: 1, healthy: 1, overridden: 0),
                    AdminJSON.StatusRegion(region: "us-east-1", checks: 1, healthy: 0, overridden: 1),
                ])
                // Every field is present, null or not (SPEC §4).
                let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(Set(object.keys) == ["generatedAt", "instance", "windowSeconds", "bucketSeconds", "checks", "regions", "names", "drill"])
                let first = try #require((object["checks"] as? [[String: Any]])?.first)
                #expect(Set(first.keys) == ["id", "region", "target", "observed", "override", "overrideReason", "effective",
                                            "overrideExpires", "secondsLeft"])
            }
        }
        try await f.close()
    }

    @Test func answerSharesAndDrillComeFromTheFeedsGiven() async throws {
        let f = try await AdminRoutesTests.fixture()
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let name = AdminJSON.StatusName(name: "app.admin.test.", type: "A", policy: "failover", sets: ["primary", "standby"],
                                        buckets: [.init(start: at, counts: ["primary": 3, "standby": 1])])
        let drill = AdminJSON.DrillReport(
            name: "gameday", regions: ["us-east-1"], checks: ["p"], reason: nil, requestedBy: "ops", state: "running",
            startedAt: at, endsAt: at.addingTimeInterval(900), endedAt: nil, revision: nil,
            applied: [.init(instance: "local", at: at, offset: 0.1)], moves: [], notSeenMoving: ["app.admin.test."],
            healthChanges: [], cacheDroppedAt: nil, cacheDroppedOffset: nil,
            timeline: [.init(at: at, offset: 0, kind: "start", text: "drill gameday started")])
        let feeds = StatusFeeds(names: { _ in [name] }, drill: { drill }, windowSeconds: 120, bucketSeconds: 10)
        let router = AdminRoutes.router(backend: f.backend, token: nil, status: feeds)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                let status = try Self.decode(response)
                #expect(status.names == [name])
                #expect(status.drill == drill)
                #expect(status.windowSeconds == 120 && status.bucketSeconds == 10)
            }
        }
        try await f.close()
    }
}
