import AdminContract
import Drills
import Foundation
import Testing

/// The drill report (SPEC §8) from stored measurements: offsets from the start, the
/// moment every cache has dropped the old answers, names not seen moving, the state, and
/// one timeline in time order.
@Suite struct DrillReportBuilderTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func record(stoppedAt: Date? = nil, endsAt: Date? = nil) -> DrillRecord {
        let drill = Drill(name: "evac", regions: ["us-east-1"], checks: ["use1"], reason: "q4", requestedBy: "ops", startedAt: t0,
                          endsAt: endsAt, stoppedAt: stoppedAt, revision: 7,
                          affectedNames: ["api.t. A", "app.t. ALIAS", "geo.t. ALIAS", "www.t. A"])
        var ns1 = DrillObservations(instance: "ns1")
        ns1.appliedAt = t0.addingTimeInterval(0.004)
        ns1.moves["api.t. A"] = .init(at: t0.addingTimeInterval(0.25), from: "primary", to: "standby", ttl: 60)
        ns1.moves["app.t. AAAA"] = .init(at: t0.addingTimeInterval(0.5), from: "use1", to: "euw1", ttl: 30)
        ns1.healthChanges = [.init(at: t0.addingTimeInterval(0.004), check: "use1", change: "effective unhealthy")]
        var ns2 = DrillObservations(instance: "ns2")
        ns2.appliedAt = t0.addingTimeInterval(0.012)
        ns2.moves["api.t. A"] = .init(at: t0.addingTimeInterval(1.5), from: "primary", to: "standby", ttl: 60)
        return DrillRecord(drill: drill, observations: ["ns2": ns2, "ns1": ns1])
    }

    @Test func movesCachesAndNamesNotSeenMoving() {
        let report = DrillReportBuilder.report(Self.record(), name: "evac", runningHere: true, now: Self.t0.addingTimeInterval(5))
        #expect(report.state == "running")
        #expect(report.endedAt == nil)
        #expect(report.applied.map(\.instance) == ["ns1", "ns2"])
        #expect(report.applied.map(\.offset) == [0.004, 0.012])
        #expect(report.moves.map { "\($0.name) \($0.type) \($0.instance) \($0.offset)" }
                == ["api.t. A ns1 0.25", "app.t. AAAA ns1 0.5", "api.t. A ns2 1.5"])
        // The latest first move plus its TTL: ns2's api move (1.5 + 60), not app's (0.5 + 30).
        #expect(report.cacheDroppedOffset == 61.5)
        #expect(report.moves.first?.cacheDroppedOffset == 60.25)
        // An ALIAS group counts as moved when its A or AAAA answer moved.
        #expect(report.notSeenMoving == ["geo.t. ALIAS", "www.t. A"])
        #expect(report.timeline.map(\.kind) == ["start", "applied", "health", "applied", "moved", "moved", "moved", "cache-dropped"])
        #expect(report.timeline.map(\.offset) == report.timeline.map(\.offset).sorted())
        #expect(report.timeline.first?.text.contains("evacuate us-east-1 (q4)") == true)
    }

    @Test func stateFollowsStopExpiryAndClearing() {
        let stopped = DrillReportBuilder.report(Self.record(stoppedAt: Self.t0.addingTimeInterval(30)), name: "evac", runningHere: false,
                                                now: Self.t0.addingTimeInterval(100))
        #expect(stopped.state == "stopped")
        #expect(stopped.endedAt == Self.t0.addingTimeInterval(30))
        #expect(stopped.timeline.last?.kind == "cache-dropped")
        #expect(stopped.timeline.contains { $0.kind == "stop" && $0.offset == 30 })

        let expired = DrillReportBuilder.report(Self.record(endsAt: Self.t0.addingTimeInterval(60)), name: "evac", runningHere: false,
                                                now: Self.t0.addingTimeInterval(61))
        #expect(expired.state == "expired")
        #expect(expired.endedAt == Self.t0.addingTimeInterval(60))

        var cleared = Self.record(endsAt: Self.t0.addingTimeInterval(600))
        cleared.observations["ns1"]?.clearedAt = Self.t0.addingTimeInterval(20)
        let ended = DrillReportBuilder.report(cleared, name: "evac", runningHere: false, now: Self.t0.addingTimeInterval(61))
        #expect(ended.state == "ended")
        #expect(ended.endedAt == Self.t0.addingTimeInterval(20))
    }

    /// An instance that saw only the overrides (no definition yet) still reports them.
    @Test func measurementsWithoutTheDefinitionStillReport() {
        var record = Self.record()
        record.drill = nil
        let report = DrillReportBuilder.report(record, name: "evac", runningHere: true, now: Self.t0.addingTimeInterval(2))
        #expect(report.startedAt == Self.t0.addingTimeInterval(0.004))
        #expect(report.regions.isEmpty)
        #expect(report.moves.count == 3)
        #expect(report.notSeenMoving.isEmpty)
    }
}
