import AdminContract
import DNSWire
import Foundation
import Testing

/// SPEC §8 drills end to end: the built binary, real HTTP backends, real DNS queries, and
/// the `drill` client commands; the timeline survives `kill -9`, and the status page's
/// data shows the answers per set and the drill.
@Suite(.serialized) struct DrillTimelineEndToEndTests {
    static let app: DomainName = "app.drill.test."

    static func report(_ sy: SwitchyardProcess, _ name: String) async throws -> AdminJSON.DrillReport? {
        let result = try await sy.client(["drill", "report", name, "--json"])
        guard result.status == 0 else { return nil }
        return try? AdminJSON.decoder().decode(AdminJSON.DrillReport.self, from: Data(result.stdout.utf8))
    }

    @Test func aDrillIsStartedMeasuredReportedAndStoppedFromTheCommandLine() async throws {
        let primary = try await HTTPBackend.start(host: "127.0.0.33")
        let secondary = try await HTTPBackend.start(host: "127.0.0.34")
        let folder = try TemporaryFolder(prefix: "drill-timeline")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.file("zones"), withIntermediateDirectories: true)
        try DrillEndToEndTests.zone(primary: primary, secondary: secondary)
            .write(to: folder.file("zones/drill.test.zone"), atomically: true, encoding: .utf8)
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("drill.test.", .soa))
        defer { sy.stop() }
        #expect(sy.addresses(Self.app) == ["192.0.2.1"])

        let start = try await sy.client(["drill", "start", "evac-7", "--evacuate", "us-east-1", "--for", "10m", "--reason", "e2e drill"])
        #expect(start.status == 0, "\(start.stderr)")
        #expect(start.stdout.contains("drill evac-7 started: us-east-1 evacuated (p down)"), "\(start.stdout)")
        #expect(start.stdout.contains("expected to move: app.drill.test. A"))
        // The first query after the command already gets the new answer, and is noted.
        #expect(sy.addresses(Self.app) == ["192.0.2.2"])

        let second = try await sy.client(["drill", "start", "other", "--evacuate", "eu-west-1", "--force"])
        #expect(second.status != 0)
        #expect(second.stderr.contains("'evac-7' is running"), "\(second.stderr)")

        // The move reaches the report once the event loop hands its notes over (once a second).
        var report: AdminJSON.DrillReport?
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            report = try await Self.report(sy, "evac-7")
            if report?.moves.isEmpty == false { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let running = try #require(report)
        #expect(running.state == "running")
        #expect(running.reason == "e2e drill")
        #expect(running.applied.count == 1)
        #expect(running.applied.allSatisfy { $0.offset >= 0 && $0.offset < 1 }, "\(running.applied)")
        let move = try #require(running.moves.first)
        #expect(move.name == "app.drill.test." && move.type == "A" && move.from == "primary" && move.to == "standby")
        #expect(move.offset >= 0 && move.offset < 5, "\(move)")
        #expect(move.ttl == 60)
        #expect(running.cacheDroppedOffset.map { abs($0 - move.offset - 60) < 0.002 } == true)
        #expect(running.notSeenMoving.isEmpty)
        #expect(running.healthChanges.contains { $0.check == "p" && $0.change == "effective unhealthy" })

        // The readable report names each part.
        let table = try await sy.client(["drill", "report", "evac-7"])
        #expect(table.status == 0)
        for part in ["Drill evac-7: running", "First moved answer per routed name", "primary -> standby", "Every resolver cache has dropped",
                     "Timeline"] {
            #expect(table.stdout.contains(part), "\(part) in \(table.stdout)")
        }

        // The status page's data: answers per set for app, and the drill.
        let status = try #require(await AdminHTTP.get(port: sy.adminPort, path: "/v1/status"))
        let page = try AdminJSON.decoder().decode(AdminJSON.Status.self, from: Data(status.body.utf8))
        let appShares = try #require(page.names.first { $0.name == "app.drill.test." && $0.type == "A" })
        #expect(appShares.sets == ["primary", "standby"])
        #expect(appShares.buckets.reduce(0) { $0 + ($1.counts["standby"] ?? 0) } >= 1)
        #expect(appShares.buckets.reduce(0) { $0 + ($1.counts["primary"] ?? 0) } >= 1)
        #expect(page.drill?.name == "evac-7")

        // kill -9 once the measurements are saved (within half a second of being made): the
        // drill and its measurements are still there, and it still runs.
        let saved = folder.file("state/drills.json").path
        let isSaved = await SwitchyardProcess.poll(within: .seconds(5)) {
            (try? String(contentsOfFile: saved, encoding: .utf8))?.contains("standby") == true
        }
        #expect(isSaved != nil, "the move reaches the state folder")
        try await sy.killAndRestart()
        #expect(sy.addresses(Self.app) == ["192.0.2.2"])
        let restarted = try #require(try await Self.report(sy, "evac-7"))
        #expect(restarted.moves.first?.at == move.at)
        #expect(restarted.applied.first?.at == running.applied.first?.at)

        let stop = try await sy.client(["drill", "stop", "evac-7"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(stop.stdout.contains("drill evac-7 stopped"))
        #expect(sy.addresses(Self.app) == ["192.0.2.1"])
        let list = try await sy.client(["drill", "list"])
        #expect(list.stdout.contains("evac-7\tstopped"))
        let unknown = try await sy.client(["drill", "report", "nope"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no drill named 'nope'"))

        await primary.stop()
        await secondary.stop()
    }
}
