import Foundation
import HealthChecks
import Logging
import NIOPosix
import Testing
import ZoneFile
import Zones

/// The monitor end to end with real probes: thresholds, overrides, expiry, persistence.
@Suite struct HealthMonitorTests {
    static func definition(_ id: String, _ backend: HTTPBackend, interval: UInt32 = 1, threshold: Int = 2, region: String? = nil) -> HealthCheckDefinition {
        var check = HealthCheckDefinition(id: id, target: .http(host: backend.host, port: backend.port, path: "/health"),
                                          location: SourceLocation(file: "t", line: 1, column: 1))
        check.interval = interval
        check.threshold = threshold
        check.timeout = 1
        check.region = region
        return check
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "switchyard-state-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Waits (bounded) until the published snapshot satisfies `condition`.
    static func waitUntil(_ monitor: HealthMonitor, within limit: Duration = .seconds(10),
                          _ condition: @escaping @Sendable (HealthSnapshot) -> Bool) async -> Bool {
        if condition(monitor.store.current) { return true }
        let (stream, continuation) = AsyncStream.makeStream(of: HealthSnapshot.self)
        let token = await monitor.addListener { continuation.yield($0) }
        defer { Task { await monitor.removeListener(token) } }
        if condition(monitor.store.current) { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await snapshot in stream where condition(snapshot) { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            continuation.finish()
            return first
        }
    }

    @Test func followsTheEndpointDownAndBackUp() async throws {
        let backend = try await HTTPBackend.start(host: "127.0.0.7")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let monitor = HealthMonitor(store: HealthStore(), overrideStore: nil, prober: prober, logger: Logger(label: "t"))
        await monitor.update([Self.definition("app", backend)])
        await monitor.start()
        #expect(monitor.store.current.isHealthy("app"))
        backend.set { $0.status = 503 }
        let started = ContinuousClock.now
        #expect(await Self.waitUntil(monitor) { !$0.isHealthy("app") })
        // interval 1 s × threshold 2, plus the first probe's spread and slack: this waits on
        // the test process's shared pool, which CPU-heavy suites (the browser, whatif's
        // brute force) load at the same time. The SPEC bound itself, interval × threshold
        // + 1 s, is asserted against the built server in DrillEndToEndTests.
        #expect(ContinuousClock.now - started < .seconds(8))
        backend.set { $0.status = 200 }
        #expect(await Self.waitUntil(monitor) { $0.isHealthy("app") })
        let status = await monitor.status(of: "app")
        #expect(status?.lastResult?.reason == "HTTP 200")
        await monitor.stop()
        await prober.shutdown()
        try await group.shutdownGracefully()
        await backend.stop()
    }

    @Test func overridesApplyAtOnceExpireAndSurviveARestart() async throws {
        let backend = try await HTTPBackend.start(host: "127.0.0.8")
        let directory = Self.temporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let checks = [Self.definition("use1", backend, region: "us-east-1"), Self.definition("euw1", backend, region: "eu-west-1")]
        let first = HealthMonitor(store: HealthStore(), overrideStore: OverrideStore(directory: directory), prober: prober, logger: Logger(label: "t"))
        try await first.restoreOverrides()
        await first.update(checks)
        try await first.setOverride("use1", state: .down, duration: nil, reason: "drill 42", requestedBy: "tester")
        // The very next read of the snapshot sees it: no probe, no wait.
        #expect(!first.store.current.isHealthy("use1"))
        #expect(first.store.current.isHealthy("euw1"))
        try await first.setOverride("euw1", state: .down, duration: 1, reason: "short", requestedBy: "tester")
        #expect(!first.store.current.isHealthy("euw1"))
        #expect(await Self.waitUntil(first, within: .seconds(5)) { $0.isHealthy("euw1") })

        // A new monitor on the same folder (a restart after kill -9) restores the override.
        let second = HealthMonitor(store: HealthStore(), overrideStore: OverrideStore(directory: directory), prober: prober, logger: Logger(label: "t"))
        try await second.restoreOverrides()
        await second.update(checks)
        #expect(!second.store.current.isHealthy("use1"))
        let status = await second.status(of: "use1")
        #expect(status?.override?.reason == "drill 42")
        #expect(status?.override?.requestedBy == "tester")
        let actions = OverrideStore(directory: directory).history().map { "\($0.checkID) \($0.action.rawValue)" }
        #expect(actions == ["use1 set", "euw1 set", "euw1 expired"])
        try await second.clearOverride("use1", requestedBy: "tester")
        #expect(second.store.current.isHealthy("use1"))
        #expect(OverrideStore(directory: directory).history().last?.replaced?.reason == "drill 42")
        await prober.shutdown()
        try await group.shutdownGracefully()
        await backend.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func anUnreadableStateFileIsAnErrorNamingIt() async throws {
        let directory = Self.temporaryDirectory()
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: directory + "/overrides.json"))
        do {
            _ = try OverrideStore(directory: directory).load()
            Issue.record("a corrupt state file must not load")
        } catch {
            #expect(error.path.hasSuffix("/overrides.json"))
            #expect(error.description.contains("not valid"))
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func reloadKeepsStateOfUnchangedChecks() async throws {
        let backend = try await HTTPBackend.start(host: "127.0.0.9")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let monitor = HealthMonitor(store: HealthStore(), overrideStore: nil, prober: prober, logger: Logger(label: "t"))
        let app = Self.definition("app", backend)
        await monitor.update([app])
        await monitor.record("app", ProbeResult(passed: false, reason: "test", at: Date(), milliseconds: 1))
        await monitor.record("app", ProbeResult(passed: false, reason: "test", at: Date(), milliseconds: 1))
        #expect(!monitor.store.current.isHealthy("app"))
        let other = Self.definition("other", backend)
        await monitor.update([app, other])
        #expect(!monitor.store.current.isHealthy("app"))
        #expect(monitor.store.current.isHealthy("other"))
        await monitor.update([other])
        #expect(await monitor.status(of: "app") == nil)
        await prober.shutdown()
        try await group.shutdownGracefully()
        await backend.stop()
    }
}
