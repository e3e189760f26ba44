import Foundation
import HealthChecks
import Logging
import NIOPosix
import Testing
import ZoneFile
import Zones

/// SPEC §5: override history is rotated at 10 MB and kept in memory for status.
@Suite struct OverrideHistoryTests {
    static func check(_ id: String) -> HealthCheckDefinition {
        HealthCheckDefinition(id: id, target: .http(host: "127.0.0.1", port: 9, path: "/health"),
                              location: SourceLocation(file: "t", line: 1, column: 1))
    }

    /// Writes `bytes` or a little more of valid history lines for `ids`, in turn; returns
    /// how many.
    @discardableResult
    static func writeHistory(_ path: String, bytes: Int, ids: [String]) throws -> Int {
        let padding = String(repeating: "p", count: 200)
        var text = ""
        var index = 0
        while text.utf8.count < bytes {
            let id = ids[index % ids.count]
            text += "{\"action\":\"set\",\"at\":\"2026-01-01T00:00:00Z\",\"checkID\":\"\(id)\",\"override\":{\"setAt\":\"2026-01-01T00:00:00Z\",\"state\":\"down\"},\"reason\":\"entry \(index) \(padding)\",\"requestedBy\":\"t\"}\n"
            index += 1
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return index
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }

    @Test func aLargeHistoryIsReadOnceKeptBoundedAndRotatedAtTheLimit() async throws {
        let folder = try TemporaryFolder(prefix: "history")
        defer { folder.remove() }
        let store = OverrideStore(directory: folder.url.path)
        let written = try Self.writeHistory(store.historyPath, bytes: 11 * 1024 * 1024, ids: ["a", "b"])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let monitor = HealthMonitor(store: HealthStore(), overrideStore: store, prober: prober, logger: Logger(label: "t"))
        let loading = ContinuousClock.now
        try await monitor.restoreOverrides()
        print("restoring 11 MB of override history took \(ContinuousClock.now - loading)")
        await monitor.update([Self.check("a"), Self.check("b")])

        // Status never reads the file: it answers the same with the file gone, and fast.
        let saved = try Data(contentsOf: URL(fileURLWithPath: store.historyPath))
        try FileManager.default.removeItem(atPath: store.historyPath)
        let started = ContinuousClock.now
        for _ in 0..<100 { _ = await monitor.status() }
        let hundred = ContinuousClock.now - started
        #expect(hundred < .milliseconds(500), "100 status calls took \(hundred)")
        let history = await monitor.status(of: "a")?.history ?? []
        // Bounded in memory: the last 100 changes of each check, oldest first.
        #expect(history.count == OverrideHistory.defaultPerCheck)
        #expect(history.last?.reason?.hasPrefix("entry ") == true)
        let lastIndex = Int(history.last?.reason?.split(separator: " ")[1] ?? "") ?? 0
        let firstIndex = Int(history.first?.reason?.split(separator: " ")[1] ?? "") ?? 0
        #expect(lastIndex - firstIndex == 2 * (OverrideHistory.defaultPerCheck - 1))
        #expect(lastIndex == (written - 1) / 2 * 2, "the newest change of a is the last one written")
        try saved.write(to: URL(fileURLWithPath: store.historyPath))

        // The next change finds the file over 10 MB: it becomes .1, the new entry starts afresh.
        try await monitor.setOverride("a", state: .down, duration: nil, reason: "after rotation", requestedBy: "t")
        #expect(Self.fileSize(store.rotatedHistoryPath) == saved.count)
        #expect(Self.fileSize(store.historyPath) > 0)
        #expect(Self.fileSize(store.historyPath) < 1024)
        #expect(store.history().last?.reason == "after rotation")
        #expect(await monitor.status(of: "a")?.history.last?.reason == "after rotation")

        // A second rotation replaces the older .1.
        try Self.writeHistory(store.historyPath, bytes: OverrideStore.defaultRotateAt, ids: ["b"])
        try await monitor.clearOverride("a", requestedBy: "t", reason: "second rotation")
        #expect(Self.fileSize(store.rotatedHistoryPath) >= OverrideStore.defaultRotateAt)
        #expect(Self.fileSize(store.rotatedHistoryPath) < saved.count)
        #expect(Self.fileSize(store.historyPath) < 1024)
        await prober.shutdown()
        try await group.shutdownGracefully()
    }
}
