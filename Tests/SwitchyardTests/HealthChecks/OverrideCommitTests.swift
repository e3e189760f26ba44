import Foundation
import HealthChecks
import Logging
import NIOPosix
import Testing
import ZoneFile
import Zones

/// SPEC §5: a write that fails changes nothing, before or after a restart. The tests run
/// as root in CI, so failures are caused by a folder standing where a file must go.
@Suite struct OverrideCommitTests {
    static let checks = ["a", "b"].map {
        HealthCheckDefinition(id: $0, target: .http(host: "127.0.0.1", port: 9, path: "/health"),
                              location: SourceLocation(file: "t", line: 1, column: 1))
    }

    /// A monitor on `folder` as after a (re)start.
    static func start(_ folder: TemporaryFolder, prober: NetworkProber) async throws -> HealthMonitor {
        let monitor = HealthMonitor(store: HealthStore(), overrideStore: OverrideStore(directory: folder.url.path), prober: prober,
                                    logger: Logger(label: "t"))
        try await monitor.restoreOverrides()
        await monitor.update(checks)
        return monitor
    }

    static func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test(arguments: ["override-history.jsonl", "overrides.json.tmp"])
    func aSetThatCannotBeSavedChangesNothing(blocked: String) async throws {
        let folder = try TemporaryFolder(prefix: "commit")
        defer { folder.remove() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let store = OverrideStore(directory: folder.url.path)
        let monitor = try await Self.start(folder, prober: prober)
        try await monitor.setOverride("a", state: .down, duration: nil, reason: "kept", requestedBy: "t")
        let history = Self.contents(store.historyPath)
        let overrides = Self.contents(store.overridesPath)
        #expect(history?.isEmpty == false)

        if blocked == "override-history.jsonl" { try FileManager.default.removeItem(atPath: store.historyPath) }
        try FileManager.default.createDirectory(at: folder.file(blocked), withIntermediateDirectories: false)
        do {
            try await monitor.setOverride("b", state: .down, duration: nil, reason: "must not stick", requestedBy: "t")
            Issue.record("the write must fail")
        } catch {
            if case .state(let failure) = error { #expect(failure.contains(blocked)) } else { Issue.record("\(error)") }
        }
        // Nothing changed in memory...
        #expect(monitor.store.current.isHealthy("b"))
        #expect(await monitor.status(of: "b")?.override == nil)
        #expect(await monitor.status(of: "b")?.history.isEmpty == true)
        // ...nor on disk: the history was cut back to its old length.
        try FileManager.default.removeItem(at: folder.file(blocked))
        if blocked == "override-history.jsonl" {
            try history?.write(to: URL(fileURLWithPath: store.historyPath))
        } else {
            #expect(Self.contents(store.historyPath) == history)
        }
        #expect(Self.contents(store.overridesPath) == overrides)
        // ...and a restart sees the state from before the failed write.
        let restarted = try await Self.start(folder, prober: prober)
        #expect(restarted.store.current.isHealthy("b"))
        #expect(!restarted.store.current.isHealthy("a"))
        #expect(await restarted.status(of: "b")?.override == nil)
        #expect(!store.history().contains { $0.reason == "must not stick" })
        await prober.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func aClearThatCannotBeSavedKeepsTheOverride() async throws {
        let folder = try TemporaryFolder(prefix: "commit")
        defer { folder.remove() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let store = OverrideStore(directory: folder.url.path)
        let monitor = try await Self.start(folder, prober: prober)
        try await monitor.setOverride("a", state: .down, duration: nil, reason: "kept", requestedBy: "t")
        let history = Self.contents(store.historyPath)
        try FileManager.default.createDirectory(atPath: store.overridesPath + ".tmp", withIntermediateDirectories: false)
        do {
            try await monitor.clearOverride("a", requestedBy: "t")
            Issue.record("the write must fail")
        } catch {}
        #expect(!monitor.store.current.isHealthy("a"))
        #expect(await monitor.status(of: "a")?.override?.reason == "kept")
        #expect(Self.contents(store.historyPath) == history)
        try FileManager.default.removeItem(atPath: store.overridesPath + ".tmp")
        let restarted = try await Self.start(folder, prober: prober)
        #expect(!restarted.store.current.isHealthy("a"))
        #expect(await restarted.status(of: "a")?.override?.reason == "kept")
        await prober.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func anExpiryThatCannotBeSavedIsRecordedNeitherHalfNorTwice() async throws {
        let folder = try TemporaryFolder(prefix: "commit")
        defer { folder.remove() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let store = OverrideStore(directory: folder.url.path)
        let monitor = try await Self.start(folder, prober: prober)
        try await monitor.setOverride("a", state: .down, duration: 1, reason: "short", requestedBy: "t")
        let history = Self.contents(store.historyPath)
        let overrides = Self.contents(store.overridesPath)
        try FileManager.default.createDirectory(atPath: store.overridesPath + ".tmp", withIntermediateDirectories: false)
        // Its time is up whatever the files say: answers follow at once.
        #expect(await HealthMonitorTests.waitUntil(monitor, within: .seconds(15)) { $0.isHealthy("a") })
        #expect(await monitor.status(of: "a")?.override == nil)
        // The save failed: neither file moved (no "expired" entry without the new overrides.json).
        #expect(Self.contents(store.historyPath) == history)
        #expect(Self.contents(store.overridesPath) == overrides)
        await monitor.stop()
        // A restart drops it as expired while stopped, recorded once.
        try FileManager.default.removeItem(atPath: store.overridesPath + ".tmp")
        let restarted = try await Self.start(folder, prober: prober)
        #expect(restarted.store.current.isHealthy("a"))
        #expect(store.history().map(\.action) == [.set, .expired])
        #expect(store.history().last?.reason == "expired while stopped")
        await prober.shutdown()
        try await group.shutdownGracefully()
    }
}
