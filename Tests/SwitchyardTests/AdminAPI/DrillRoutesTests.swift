import AdminAPI
import Authority
import Drills
import Foundation
import HTTPTypes
import HealthChecks
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// `POST /v1/drills`, `GET /v1/drills[/{name}]`, `POST /v1/drills/{name}/stop` (SPEC §8)
/// in memory, over a real monitor and the state folder.
@Suite struct DrillRoutesTests {
    static func withDrills(_ body: (Router<BasicRequestContext>, AdminRoutesTests.Fixture, DrillRecorder) async throws -> Void) async throws {
        let fixture = try await AdminRoutesTests.fixture()
        var backend = fixture.backend
        let store = LocalDrillStore(store: OverrideStore(directory: fixture.folder.file("state").path))
        let recorder = DrillRecorder(instance: "ns1", store: store, logger: Logger(label: "t"))
        _ = await backend.monitor.addListener { recorder.healthPublished($0, at: Date()) }
        let zones = backend.zones
        backend.drills = DrillControl(monitor: backend.monitor, store: store, recorder: recorder, affectedNames: { before, after in
            HealthImpact.namesWithChangedSets(zones: zones.current, before: HealthSnapshot(effective: before), after: HealthSnapshot(effective: after))
        })
        do {
            try await body(AdminRoutes.router(backend: backend, token: nil), fixture, recorder)
        } catch {
            try await fixture.close()
            throw error
        }
        try await fixture.close()
    }

    static func start(_ object: [String: Any]) -> ByteBuffer { AdminRoutesTests.body(object) }

    @Test func aDrillStartsReportsAndStopsThroughTheMonitor() async throws {
        try await Self.withDrills { router, fixture, recorder in
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/v1/drills", method: .post, headers: AdminRoutesTests.jsonType,
                                         body: Self.start(["name": "evac-1", "evacuate": ["us-east-1"], "for": "10m", "reason": "quarterly"])) { response in
                    #expect(response.status == .created)
                    let report = AdminRoutesTests.json(response)
                    #expect(report["name"] as? String == "evac-1")
                    #expect(report["state"] as? String == "running")
                    #expect(report["checks"] as? [String] == ["p"])
                    #expect(report["reason"] as? String == "quarterly")
                    #expect((report["applied"] as? [[String: Any]])?.map { $0["instance"] as? String } == ["ns1"])
                    #expect(report["notSeenMoving"] as? [String] == ["app.admin.test. A"])
                    #expect(report["endsAt"] is String)
                    #expect(report.keys.contains("endedAt") && report["endedAt"] is NSNull)
                }
                // The drill's override is an ordinary override, tagged and shown with its reason.
                try await client.execute(uri: "/v1/health-checks/p", method: .get) { response in
                    let check = AdminRoutesTests.json(response)
                    #expect(check["override"] as? String == "down")
                    #expect(check["effective"] as? String == "unhealthy")
                    #expect(check["overrideReason"] as? String == "quarterly")
                }
                // One drill at a time.
                try await client.execute(uri: "/v1/drills", method: .post, headers: AdminRoutesTests.jsonType,
                                         body: Self.start(["name": "evac-2", "evacuate": ["eu-west-1"], "force": true])) { response in
                    #expect(response.status == .conflict)
                    #expect((AdminRoutesTests.json(response)["error"] as? String)?.contains("'evac-1' is running") == true)
                }
                try await client.execute(uri: "/v1/drills/evac-1/stop", method: .post) { response in
                    #expect(response.status == .ok)
                    let report = AdminRoutesTests.json(response)
                    #expect(report["state"] as? String == "stopped")
                    #expect(report["endedAt"] is String)
                    #expect((report["timeline"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }.contains("stop") == true)
                }
                try await client.execute(uri: "/v1/health-checks/p", method: .get) { response in
                    #expect(AdminRoutesTests.json(response)["override"] is NSNull)
                }
                // Names are not reused; reports stay.
                try await client.execute(uri: "/v1/drills", method: .post, headers: AdminRoutesTests.jsonType,
                                         body: Self.start(["name": "evac-1", "evacuate": ["us-east-1"]])) { response in
                    #expect(response.status == .conflict)
                    #expect(AdminRoutesTests.json(response)["field"] as? String == "name")
                }
                try await client.execute(uri: "/v1/drills/evac-1", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(AdminRoutesTests.json(response)["state"] as? String == "stopped")
                }
            }
            // Kept in the state folder: a fresh store reads the drill back.
            await recorder.save()
            let reread = try await LocalDrillStore(store: OverrideStore(directory: fixture.folder.file("state").path)).loadAll()
            let drill = try #require(reread["evac-1"]?.drill)
            #expect(drill.regions == ["us-east-1"])
            #expect(drill.stoppedAt != nil)
            #expect(reread["evac-1"]?.observations["ns1"]?.appliedAt != nil)
        }
    }

    /// SPEC §8: a drill is time-boxed. When its time is up its override expires by itself
    /// (the monitor's expiry), answers stop using it, and the report says it expired then.
    @Test func aDrillEndsByItselfWhenItsTimeBoxRunsOut() async throws {
        try await Self.withDrills { router, fixture, recorder in
            let (cleared, continuation) = AsyncStream.makeStream(of: Void.self)
            _ = await fixture.backend.monitor.addListener { snapshot in if snapshot.drill == nil { continuation.yield() } }
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/v1/drills", method: .post, headers: AdminRoutesTests.jsonType,
                                         body: Self.start(["name": "short", "evacuate": ["us-east-1"], "for": "1s"])) { response in
                    #expect(response.status == .created)
                }
                #expect(fixture.backend.health.current.drill == "short")
                let ended = await withTaskGroup(of: Bool.self) { group in
                    group.addTask { for await _ in cleared { return true }; return false }
                    group.addTask { try? await Task.sleep(for: .seconds(10)); return false }
                    defer { group.cancelAll() }
                    return await group.next() ?? false
                }
                continuation.finish()
                #expect(ended, "the drill's override did not expire within 10 s")
                #expect(fixture.backend.health.current.effective["p"] == true)
                #expect(recorder.currentDrill == nil)
                try await client.execute(uri: "/v1/drills/short", method: .get) { response in
                    let report = AdminRoutesTests.json(response)
                    #expect(report["state"] as? String == "expired")
                    #expect(report["endedAt"] as? String == report["endsAt"] as? String)
                    // The expiry, then the health change it caused a moment later.
                    let kinds = (report["timeline"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
                    #expect(kinds.suffix(2) == ["expired", "health"], "\(kinds)")
                }
            }
        }
    }

    @Test func theSafetyRuleAppliesAsForEvacuate() async throws {
        try await Self.withDrills { router, _, _ in
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/v1/drills", method: .post, headers: AdminRoutesTests.jsonType,
                                         body: Self.start(["name": "both", "evacuate": ["us-east-1", "eu-west-1"]])) { response in
                    #expect(response.status == .conflict)
                    #expect(AdminRoutesTests.json(response)["names"] as? [String] == ["app.admin.test. A"])
                }
                try await client.execute(uri: "/v1/drills", method: .get) { response in
                    #expect((AdminRoutesTests.json(response)["drills"] as? [Any])?.isEmpty == true)
                }
                try await client.execute(uri: "/v1/drills", method: .post, headers: AdminRoutesTests.jsonType,
                                         body: Self.start(["name": "both", "evacuate": ["us-east-1", "eu-west-1"], "force": true])) { response in
                    #expect(response.status == .created)
                    #expect(AdminRoutesTests.json(response)["checks"] as? [String] == ["p", "s"])
                }
            }
        }
    }

    @Test func badRequestsNameTheirField() async throws {
        try await Self.withDrills { router, _, _ in
            try await Application(router: router).test(.router) { client in
                let cases: [([String: Any], HTTPResponse.Status, String)] = [
                    (["name": "no spaces please", "evacuate": ["us-east-1"]], .badRequest, "name"),
                    (["name": String(repeating: "x", count: 65), "evacuate": ["us-east-1"]], .badRequest, "name"),
                    (["name": "ok", "evacuate": [String]()], .badRequest, "evacuate"),
                    (["name": "ok", "evacuate": ["mars-1"]], .notFound, "evacuate"),
                    (["name": "ok", "evacuate": ["us-east-1"], "for": "soon"], .badRequest, "for"),
                    (["evacuate": ["us-east-1"]], .badRequest, "name"),
                ]
                for (body, status, field) in cases {
                    try await client.execute(uri: "/v1/drills", method: .post, headers: AdminRoutesTests.jsonType, body: Self.start(body)) { response in
                        #expect(response.status == status, "\(body)")
                        #expect(AdminRoutesTests.json(response)["field"] as? String == field, "\(body)")
                    }
                }
                try await client.execute(uri: "/v1/drills/nope", method: .get) { #expect($0.status == .notFound) }
                try await client.execute(uri: "/v1/drills/nope/stop", method: .post) { #expect($0.status == .notFound) }
            }
        }
    }
}
