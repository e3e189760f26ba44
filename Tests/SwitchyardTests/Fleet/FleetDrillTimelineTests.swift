import AdminContract
import DNSWire
import Foundation
import Testing

extension EtcdBackedSuites {
    /// SPEC §8 in a fleet: a drill started through one instance applies on all three, each
    /// measures its own first moved answer, and any instance reports them all (the drill
    /// and every instance's measurements are kept in etcd).
    @Suite(.serialized, .enabled(if: EtcdCluster.isAvailable, "etcd is not installed (Debian package etcd-server)"))
    struct FleetDrillTimelineTests {
        static func report(_ fleet: FleetUnderTest, _ index: Int, _ name: String) async -> AdminJSON.DrillReport? {
            guard let reply = await AdminHTTP.get(port: fleet.instances[index].adminPort, path: "/v1/drills/\(name)"), reply.status == 200 else {
                return nil
            }
            return try? AdminJSON.decoder().decode(AdminJSON.DrillReport.self, from: Data(reply.body.utf8))
        }

        @Test func aDrillThroughOneInstanceIsMeasuredOnEveryInstanceAndReportedByAny() async throws {
            try await FleetEndToEndTests.withFleet { fleet in
                #expect(await fleet.flipTimes(to: ["192.0.2.1"], within: .seconds(5)).allSatisfy { $0 != nil })
                let started = try await fleet.send(0, "POST", "/v1/drills", json: #"{"name":"fleet-1","evacuate":["us-east-1"],"for":"10m"}"#)
                #expect(started.status == 201, "\(started.body)")
                // Every instance answers from the standby: each one's first moved answer.
                let flips = await fleet.flipTimes(to: ["192.0.2.2"], within: .seconds(5))
                #expect(flips.allSatisfy { $0 != nil }, "\(flips)")

                // ns3 reports what all three measured, once each has handed its notes over.
                var report: AdminJSON.DrillReport?
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline {
                    report = await Self.report(fleet, 2, "fleet-1")
                    if let report, report.applied.count == 3, report.moves.count == 3 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let full = try #require(report)
                #expect(full.state == "running")
                #expect(full.regions == ["us-east-1"])
                #expect(full.applied.map(\.instance) .sorted() == ["ns1", "ns2", "ns3"], "\(full.applied)")
                #expect(full.applied.allSatisfy { $0.offset >= 0 && $0.offset < 2 }, "\(full.applied)")
                #expect(full.moves.map(\.instance).sorted() == ["ns1", "ns2", "ns3"], "\(full.moves)")
                #expect(full.moves.allSatisfy { $0.name == "app.fleet.test." && $0.type == "A" && $0.from == "primary" && $0.to == "standby" })
                #expect(full.moves.allSatisfy { $0.offset >= 0 && $0.offset < 6 && $0.ttl == 60 })
                let latest = try #require(full.moves.map(\.offset).max())
                #expect(abs((full.cacheDroppedOffset ?? 0) - (latest + 60)) < 0.002)
                #expect(full.notSeenMoving.isEmpty)

                // Stopped through another instance: the answers come back everywhere.
                let stopped = try await fleet.send(1, "POST", "/v1/drills/fleet-1/stop", json: nil)
                #expect(stopped.status == 200, "\(stopped.body)")
                #expect(stopped.body.contains(#""state":"stopped""#))
                #expect(await fleet.flipTimes(to: ["192.0.2.1"], within: .seconds(5)).allSatisfy { $0 != nil })
                let after = await Self.report(fleet, 0, "fleet-1")
                #expect(after?.state == "stopped")
                #expect(after?.timeline.contains { $0.kind == "stop" } == true)
            }
        }
    }
}
