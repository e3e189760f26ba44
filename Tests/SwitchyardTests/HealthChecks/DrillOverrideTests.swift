import Foundation
import HealthChecks
import Testing

/// A drill's overrides (SPEC §8) carry its name; the monitor publishes the health without
/// them beside the effective health, and lets one drill apply at a time.
@Suite struct DrillOverrideTests {
    @Test func drillOverridesAreTaggedPublishedWithTheirBaselineAndOneDrillAppliesAtATime() async throws {
        let folder = HealthMonitorTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (monitor, group, prober) = try await HealthChangeTests.monitor(folder)
        try await monitor.apply(HealthChange(checkIDs: ["c"], action: .set(.down, duration: nil), reason: "by hand"))
        try await monitor.apply(HealthChange(checkIDs: ["a"], action: .set(.down, duration: 600), drill: "d1"))

        let published = monitor.store.current
        #expect(published.drill == "d1")
        #expect(published.effective["a"] == false && published.effective["c"] == false)
        // Without the drill: a is healthy again, the hand-made override on c stays.
        #expect(published.withoutDrill?.effective["a"] == true)
        #expect(published.withoutDrill?.effective["c"] == false)
        #expect(monitor.store.currentDrill?.drill == "d1")
        // Saved with the tag, so a restart (or another instance) knows the drill.
        #expect(try OverrideStore(directory: folder).load()["a"]?.drill == "d1")

        let refused: HealthChangeError?
        do { try await monitor.apply(HealthChange(checkIDs: ["b"], action: .set(.down, duration: nil), force: true, drill: "d2")); refused = nil } catch {
            refused = error
        }
        #expect(refused?.description.contains("drill 'd1' is running") == true)

        // Cleared: no drill is published any more, and another may start.
        try await monitor.apply(HealthChange(checkIDs: ["a"], action: .clear))
        #expect(monitor.store.current.drill == nil)
        #expect(monitor.store.currentDrill == nil)
        try await monitor.apply(HealthChange(checkIDs: ["b"], action: .set(.down, duration: nil), drill: "d2"))
        #expect(monitor.store.current.drill == "d2")

        await prober.shutdown()
        try await group.shutdownGracefully()
    }
}
