import AdminAPI
import Foundation
import HTTPTypes
import HealthChecks
import Hummingbird
import HummingbirdTesting
import Logging
import NIOPosix
import Testing

/// SPEC §5: a write that fails (500) changes nothing, before or after a restart; status
/// and `/metrics` never re-read the override history; a local probe failure shows as stale.
@Suite struct AdminStateTests {
    @Test(arguments: ["override-history.jsonl", "overrides.json.tmp"])
    func anOverrideThatCannotBeSavedAnswers500AndChangesNothing(blocked: String) async throws {
        let f = try await AdminRoutesTests.fixture()
        let state = f.folder.file("state")
        try FileManager.default.createDirectory(at: state.appendingPathComponent(blocked), withIntermediateDirectories: false)
        try await Application(router: f.router()).test(.router) { client in
            try await client.execute(uri: "/v1/health-checks/p/override", method: .put, headers: AdminRoutesTests.jsonType,
                                     body: AdminRoutesTests.body(["state": "down", "for": "1h"])) { response in
                #expect(response.status == .internalServerError)
                #expect((AdminRoutesTests.json(response)["error"] as? String)?.contains(blocked) == true)
            }
            try await client.execute(uri: "/v1/regions/us-east-1/evacuate", method: .post) { response in
                #expect(response.status == .internalServerError)
            }
            try await client.execute(uri: "/v1/health-checks/p", method: .get) { response in
                let check = AdminRoutesTests.json(response)
                #expect(check["effective"] as? String == "healthy")
                #expect(check["override"] == nil || check["override"] is NSNull)
                #expect((check["history"] as? [Any])?.isEmpty == true)
            }
        }
        #expect(f.backend.health.current.isHealthy("p"))
        // A restart on the same folder, the obstacle gone: still no override, no history.
        try FileManager.default.removeItem(at: state.appendingPathComponent(blocked))
        let restarted = HealthMonitor(store: HealthStore(), overrideStore: OverrideStore(directory: state.path), prober: f.prober,
                                      logger: Logger(label: "t"))
        try await restarted.restoreOverrides()
        await restarted.update(Array(f.backend.zones.current.healthChecks.values))
        #expect(restarted.store.current.isHealthy("p"))
        #expect(await restarted.status(of: "p")?.override == nil)
        #expect(OverrideStore(directory: state.path).history().isEmpty)
        try await f.close()
    }

    @Test func metricsWithALargeHistoryAnswerFromMemory() async throws {
        let f = try await AdminRoutesTests.fixture { folder in
            try OverrideHistoryTests.writeHistory(folder.file("state/override-history.jsonl").path, bytes: 13 * 1024 * 1024, ids: ["p", "s"])
        }
        // Read once at start; from now on status must come from memory: the file is moved
        // away, so a re-read would find no history at all.
        let history = f.folder.file("state/override-history.jsonl").path
        try FileManager.default.moveItem(atPath: history, toPath: history + ".moved")
        try await Application(router: f.router()).test(.router) { client in
            for _ in 0..<3 {
                let started = ContinuousClock.now
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("switchyard_health_check_stale{id=\"p\",region=\"us-east-1\"} 0"))
                }
                let took = ContinuousClock.now - started
                print("/metrics with 13 MB of override history: \(took)")
                // Re-reading 13 MB took about a second; from memory it is milliseconds. No bound
                // here: with every suite in parallel on two cores, wall time says little; the
                // history below, read with the file gone, shows it comes from memory.
            }
            try await client.execute(uri: "/v1/health-checks/p", method: .get) { response in
                #expect((AdminRoutesTests.json(response)["history"] as? [Any])?.count == OverrideHistory.defaultPerCheck)
            }
        }
        try await f.close()
    }

    @Test func aLocalProbeFailureShowsAsStaleInTheAPIAndMetrics() async throws {
        let f = try await AdminRoutesTests.fixture()
        await f.backend.monitor.record("p", ProbeResult(outcome: .localError, reason: "local failure, not counted against the target: EMFILE (Too many open files)",
                                                        at: Date(), milliseconds: 0))
        try await Application(router: f.router()).test(.router) { client in
            try await client.execute(uri: "/v1/health-checks/p", method: .get) { response in
                let check = AdminRoutesTests.json(response)
                #expect(check["stale"] as? Bool == true)
                #expect(check["effective"] as? String == "healthy")
                #expect((check["lastResult"] as? String)?.hasPrefix("local failure: ") == true)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("switchyard_health_check_stale{id=\"p\",region=\"us-east-1\"} 1"))
                #expect(text.contains("switchyard_health_check_healthy{id=\"p\",region=\"us-east-1\"} 1"))
            }
        }
        try await f.close()
    }
}
