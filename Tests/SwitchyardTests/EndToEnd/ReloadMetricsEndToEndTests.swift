import Foundation
import Testing

/// SPEC §4: `/metrics` has the reload counter by result from the start, at 0, before any
/// reload, and counts each `POST /v1/reload` (run through `switchyard reload`) by outcome.
@Suite(.serialized) struct ReloadMetricsEndToEndTests {
    static let zone = """
    $ORIGIN metrics.test.
    $TTL 60
    @   IN SOA ns hostmaster 1 3600 900 1209600 60
    @   IN NS  ns
    ns  IN A   127.0.0.1
    """

    static func reloads(_ sy: SwitchyardProcess) async throws -> String {
        let metrics = try #require(await AdminHTTP.get(port: sy.adminPort, path: "/metrics"))
        #expect(metrics.status == 200)
        return metrics.body
    }

    @Test func theReloadCounterIsPresentAtZeroFromStartAndCountsEachReload() async throws {
        let folder = try TemporaryFolder(prefix: "metrics")
        defer { folder.remove() }
        try folder.writeZone(Self.zone, as: "metrics.test.zone")
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("metrics.test.", .soa))
        defer { sy.stop() }

        let fresh = try await Self.reloads(sy)
        #expect(fresh.contains("switchyard_zone_reloads_total{result=\"ok\"} 0\n"), "\(fresh)")
        #expect(fresh.contains("switchyard_zone_reloads_total{result=\"failed\"} 0\n"), "\(fresh)")

        let reload = try await sy.client(["reload"])
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(reload.stdout.contains("metrics.test.: loaded"), "\(reload.stdout)")
        let once = try await Self.reloads(sy)
        #expect(once.contains("switchyard_zone_reloads_total{result=\"ok\"} 1\n"), "\(once)")
        #expect(once.contains("switchyard_zone_reloads_total{result=\"failed\"} 0\n"), "\(once)")

        try (Self.zone + "\nbad IN A nonsense\n").write(to: folder.file("zones/metrics.test.zone"), atomically: true, encoding: .utf8)
        let refused = try await sy.client(["reload"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("metrics.test.: failed-kept-previous"), "\(refused.stdout)")
        let failed = try await Self.reloads(sy)
        #expect(failed.contains("switchyard_zone_reloads_total{result=\"ok\"} 1\n"), "\(failed)")
        #expect(failed.contains("switchyard_zone_reloads_total{result=\"failed\"} 1\n"), "\(failed)")
    }
}
