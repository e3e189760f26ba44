import Foundation
import HealthChecks
import Logging
import NIOPosix
import Synchronization
import Testing
import ZoneFile
import Zones

/// Issue 9 item 1: one `apply(change)` checks the safety rule, writes once and publishes
/// once; two changes made at once through one instance cannot both pass the rule.
@Suite struct HealthChangeTests {
    static func checks(_ ids: [String]) -> [HealthCheckDefinition] {
        ids.map { id in
            var check = HealthCheckDefinition(id: id, target: .http(host: "127.0.0.1", port: 9, path: "/"),
                                              location: SourceLocation(file: "t", line: 1, column: 1))
            check.region = "r-\(id)"
            return check
        }
    }

    /// "www" needs one of a or b healthy: the rule names it when both would be down.
    static let needsAOrB: HealthSafetyRule = { before, after in
        let healthyBefore = (before["a"] ?? true) || (before["b"] ?? true)
        let healthyAfter = (after["a"] ?? true) || (after["b"] ?? true)
        return healthyBefore && !healthyAfter ? ["www.example.test."] : []
    }

    static func monitor(_ folder: String?) async throws -> (HealthMonitor, MultiThreadedEventLoopGroup, NetworkProber) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let monitor = HealthMonitor(store: HealthStore(), overrideStore: folder.map { OverrideStore(directory: $0) }, prober: prober,
                                    logger: Logger(label: "t"))
        try await monitor.restoreOverrides()
        await monitor.update(checks(["a", "b", "c"]))
        monitor.setSafetyRule(needsAOrB)
        return (monitor, group, prober)
    }

    static func outcome(_ monitor: HealthMonitor, _ id: String) async -> Result<AppliedChange, HealthChangeError> {
        do { return .success(try await monitor.apply(HealthChange(checkIDs: [id], action: .set(.down, duration: nil)))) } catch {
            return .failure(error)
        }
    }

    @Test func twoConcurrentChangesThatTogetherEmptyANameOneIsRefusedEveryRound() async throws {
        let folder = HealthMonitorTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (monitor, group, prober) = try await Self.monitor(folder)
        for round in 0..<20 {
            async let first = Self.outcome(monitor, "a")
            async let second = Self.outcome(monitor, "b")
            let results = await [first, second]
            let refused = results.filter { if case .failure(.unsafe(_, let names)) = $0 { return names == ["www.example.test."] } else { return false } }
            #expect(refused.count == 1, "round \(round): \(results)")
            #expect(results.filter { if case .success = $0 { true } else { false } }.count == 1, "round \(round)")
            // Exactly one of the two is down, in memory and on disk.
            let effective = await monitor.effectiveStates()
            #expect([effective["a"], effective["b"]].filter { $0 == false }.count == 1)
            let saved = try OverrideStore(directory: folder).load()
            #expect(saved.keys.sorted().count == 1)
            try await monitor.apply(HealthChange(checkIDs: ["a", "b"], action: .clear))
        }
        await prober.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func anEvacuationIsOneSnapshotOneWriteAndOneRevision() async throws {
        let folder = HealthMonitorTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (monitor, group, prober) = try await Self.monitor(folder)
        let snapshots = Mutex<[[String: Bool]]>([])
        let token = await monitor.addListener { snapshot in snapshots.withLock { $0.append(snapshot.effective) } }
        let before = await monitor.revision
        let applied = try await monitor.apply(HealthChange(checkIDs: ["a", "c"], action: .set(.down, duration: 600), reason: "drill"))
        await monitor.removeListener(token)
        // One published snapshot holds both changes: no query saw a half-evacuated region.
        let seen = snapshots.withLock { $0 }
        #expect(seen.count == 1)
        #expect(seen.first?["a"] == false && seen.first?["c"] == false)
        #expect(applied.revision == before + 1)
        #expect(applied.changes.map(\.checkID) == ["a", "c"])
        // One write: both history lines and the overrides file carry the same revision.
        #expect(OverrideStore(directory: folder).history().map(\.checkID) == ["a", "c"])
        let (monitor2, group2, prober2) = try await Self.monitor(folder)
        #expect(await monitor2.revision == applied.revision)
        #expect(await monitor2.effectiveStates()["c"] == false)
        // Clearing what is not overridden writes nothing and keeps the revision.
        let noop = try await monitor.apply(HealthChange(checkIDs: ["b"], action: .clear))
        #expect(noop.changes.isEmpty && noop.revision == applied.revision)
        for (p, g) in [(prober, group), (prober2, group2)] {
            await p.shutdown()
            try await g.shutdownGracefully()
        }
    }

    @Test func forcedChangesSkipTheRuleAndUnknownChecksAreRefusedBeforeAnyWrite() async throws {
        let (monitor, group, prober) = try await Self.monitor(nil)
        try await monitor.apply(HealthChange(checkIDs: ["a"], action: .set(.down, duration: nil)))
        await #expect(throws: HealthChangeError.self) {
            try await monitor.apply(HealthChange(checkIDs: ["b"], action: .set(.down, duration: nil)))
        }
        let forced = try await monitor.apply(HealthChange(checkIDs: ["b"], action: .set(.down, duration: nil), force: true))
        #expect(forced.changes.count == 1)
        let revision = await monitor.revision
        do {
            try await monitor.apply(HealthChange(checkIDs: ["c", "nope"], action: .set(.down, duration: nil), force: true))
            Issue.record("an unknown check must be refused")
        } catch {
            guard case .unknownCheck("nope") = error else { Issue.record("\(error)"); return }
        }
        #expect(await monitor.revision == revision)
        #expect(await monitor.effectiveStates()["c"] == true)
        await prober.shutdown()
        try await group.shutdownGracefully()
    }
}
