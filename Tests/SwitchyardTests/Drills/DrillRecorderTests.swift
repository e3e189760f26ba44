import DNSServer
import Drills
import Foundation
import HealthChecks
import Logging
import Testing
import Zones

/// What one instance measures of a drill, and where it keeps it.
@Suite struct DrillRecorderTests {
    static let zones = ZoneFixtures.zoneSet("""
        $ORIGIN rec.test.
        @   IN SOA ns hostmaster 1 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        $HEALTHCHECK p tcp://127.0.0.1:9
        app [failover id=primary role=primary health=p] 60 IN A 192.0.2.1
        app [failover id=standby role=secondary]        60 IN A 192.0.2.2
        """, origin: "rec.test.")

    static func group() throws -> RoutedGroup {
        let zone = try #require(zones.zones.first)
        let node = try #require(zone.trie.find("app.rec.test."))
        return try #require(zone.trie.nodes[Int(node)].groups.first)
    }

    @Test func appliedClearedHealthAndEarliestMovesAreKept() async throws {
        let folder = try TemporaryFolder(prefix: "recorder")
        defer { folder.remove() }
        let store = LocalDrillStore(store: OverrideStore(directory: folder.url.path))
        let recorder = DrillRecorder(instance: "ns1", store: store, logger: Logger(label: "t"))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)

        recorder.healthPublished(HealthSnapshot(effective: ["p": true, "s": true]), at: t0)
        recorder.observed(ObservedChange(checkID: "s", healthy: false, at: t0, reason: "before any drill"))
        recorder.healthPublished(HealthSnapshot(effective: ["p": false, "s": true], drill: ("d", ["p": true, "s": true])), at: t0 + 1)
        #expect(recorder.currentDrill == "d")
        recorder.observed(ObservedChange(checkID: "s", healthy: false, at: t0 + 2, reason: "connection refused"))
        let group = try Self.group()
        recorder.record([DrillMoveNote(drill: "d", group: group, type: 1, at: t0 + 3, from: "primary", to: "standby", ttl: 60),
                         DrillMoveNote(drill: "d", group: group, type: 1, at: t0 + 1.5, from: "primary", to: "standby", ttl: 60),
                         DrillMoveNote(drill: "d", group: group, type: 1, at: t0 + 4, from: "primary", to: "standby", ttl: 60)])
        recorder.healthPublished(HealthSnapshot(effective: ["p": true, "s": true]), at: t0 + 5)
        #expect(recorder.currentDrill == nil)

        let seen = try #require(recorder.observations(of: "d"))
        #expect(seen.appliedAt == t0 + 1)
        #expect(seen.clearedAt == t0 + 5)
        #expect(seen.moves["app.rec.test. A"]?.at == t0 + 1.5)
        #expect(seen.healthChanges.map(\.change) == ["effective unhealthy", "observed unhealthy: connection refused", "effective healthy"])

        // Saved in the state folder; a restarted recorder takes its measurements up again and
        // does not move the applied time when the drill is seen again.
        await recorder.save()
        let restarted = DrillRecorder(instance: "ns1", store: LocalDrillStore(store: OverrideStore(directory: folder.url.path)),
                                      logger: Logger(label: "t"))
        try await restarted.restore()
        restarted.healthPublished(HealthSnapshot(effective: ["p": false], drill: ("d", ["p": true])), at: t0 + 50)
        #expect(restarted.observations(of: "d")?.appliedAt == t0 + 1)
        #expect(restarted.observations(of: "d")?.moves.count == 1)
    }

    @Test func healthEventsAreBoundedPerDrill() throws {
        let recorder = DrillRecorder(instance: "ns1", store: LocalDrillStore(store: nil), logger: Logger(label: "t"))
        recorder.healthPublished(HealthSnapshot(effective: ["p": false], drill: ("d", ["p": true])), at: Date())
        for i in 0..<(DrillObservations.maximumHealthEvents + 50) {
            recorder.observed(ObservedChange(checkID: "s", healthy: i % 2 == 0, at: Date(), reason: "flap"))
        }
        #expect(recorder.observations(of: "d")?.healthChanges.count == DrillObservations.maximumHealthEvents)
    }

    @Test func movesAreBoundedPerDrillAndInstance() throws {
        let recorder = DrillRecorder(instance: "ns1", store: LocalDrillStore(store: nil), logger: Logger(label: "t"))
        let group = try Self.group()
        let at = Date()
        // One move per name and query type: distinct types stand for distinct names here.
        let notes = (1...(DrillObservations.maximumMoves + 100)).map {
            DrillMoveNote(drill: "d", group: group, type: UInt16($0), at: at, from: "primary", to: "standby", ttl: 60)
        }
        recorder.record(notes)
        #expect(recorder.observations(of: "d")?.moves.count == DrillObservations.maximumMoves)
        // A name already kept still takes an earlier time.
        recorder.record([DrillMoveNote(drill: "d", group: group, type: 1, at: at - 5, from: "primary", to: "standby", ttl: 60)])
        #expect(recorder.observations(of: "d")?.moves["app.rec.test. A"]?.at == at - 5)
    }

    @Test func theLocalStoreKeepsTheNewestDrillsAndNamesABrokenFile() async throws {
        let folder = try TemporaryFolder(prefix: "drill-store")
        defer { folder.remove() }
        let store = LocalDrillStore(store: OverrideStore(directory: folder.url.path), limit: 3)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        for i in 0..<5 {
            try await store.save(Drill(name: "d\(i)", regions: ["r"], checks: ["c"], reason: nil, requestedBy: nil,
                                       startedAt: t0 + Double(i), endsAt: nil, revision: nil, affectedNames: []))
        }
        let kept = try await LocalDrillStore(store: OverrideStore(directory: folder.url.path)).loadAll()
        #expect(Set(kept.keys) == ["d2", "d3", "d4"])

        try Data("{not json".utf8).write(to: folder.file("drills.json"))
        await #expect {
            _ = try await LocalDrillStore(store: OverrideStore(directory: folder.url.path)).loadAll()
        } throws: { error in
            "\(error)".contains("drills.json") && "\(error)".contains("not valid")
        }
    }
}

/// The status page's answer history: buckets over a fixed window, old ones dropped.
@Suite struct AnswerShareHistoryTests {
    @Test func countsLandInTheirBucketAndAgeOut() throws {
        let history = AnswerShareHistory(bucketSeconds: 5, window: 30)
        let group = try DrillRecorderTests.group()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        history.record([RoutedAnswerCount(group: group, set: 0, count: 3), RoutedAnswerCount(group: group, set: 1, count: 1)], at: t0)
        history.record([RoutedAnswerCount(group: group, set: 1, count: 2)], at: t0 + 7)
        let key = AnswerShareHistory.NameKey(name: "app.rec.test.", type: "A")
        let window = history.window(endingAt: t0 + 7)
        #expect(window.count == 6)
        #expect(window.map(\.start) == window.map(\.start).sorted())
        #expect(window[4].counts[key] == ["primary": 3, "standby": 1])
        #expect(window[5].counts[key] == ["standby": 2])
        // Half a minute later the first bucket has left the window (and the store).
        history.record([RoutedAnswerCount(group: group, set: 0, count: 1)], at: t0 + 31)
        let later = history.window(endingAt: t0 + 31)
        #expect(later.allSatisfy { $0.counts[key]?["primary"] != 3 })
        #expect(later.last?.counts[key] == ["primary": 1])
    }
}
