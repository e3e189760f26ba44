import AdminContract
import DNSWire
import Etcd
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension EtcdBackedSuites {
    /// Issue 9 / SPEC §6 end to end: a real 3-member etcd cluster, three built instances, real
    /// HTTP backends and DNS queries, all on loopback.
    @Suite(.serialized, .enabled(if: EtcdCluster.isAvailable, "etcd is not installed (Debian package etcd-server)"))
    struct FleetEndToEndTests {
        static let app: DomainName = "app.fleet.test."

        /// `app` fails over from the primary (check p, us-east-1) to the standby (check s,
        /// eu-west-1); both backends are healthy.
        static func zone(primary: String, secondary: String, vantages: String = "quorum") -> String {
            """
            $ORIGIN fleet.test.
            $TTL 60
            @   IN SOA ns hostmaster 1 3600 900 1209600 60
            @   IN NS  ns
            ns  IN A   127.0.0.1
            $HEALTHCHECK p \(primary) interval=1s timeout=1s threshold=1 region=us-east-1 vantages=\(vantages)
            $HEALTHCHECK s \(secondary) interval=1s timeout=1s threshold=1 region=eu-west-1 vantages=\(vantages)
            app [failover id=primary role=primary health=p]   60 IN A 192.0.2.1
            app [failover id=standby role=secondary health=s] 60 IN A 192.0.2.2
            """
        }

        static func withFleet(vantages: String = "quorum", lease: Int = 3, zones: ((HTTPBackend, HTTPBackend) -> [String])? = nil,
                              _ body: (FleetUnderTest) async throws -> Void) async throws {
            let primary = try await HTTPBackend.start(host: "127.0.0.51")
            let secondary = try await HTTPBackend.start(host: "127.0.0.52")
            let texts = zones?(primary, secondary) ?? [zone(primary: primary.url, secondary: secondary.url, vantages: vantages)]
            let fleet = try await FleetUnderTest.start(zones: texts, origin: "fleet.test.", name: app, lease: lease)
            defer { fleet.stop() }
            do {
                try await body(fleet)
            } catch {
                await primary.stop()
                await secondary.stop()
                throw error
            }
            await primary.stop()
            await secondary.stop()
        }

        static func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }

        @Test func twentyFlipsThroughOneInstanceAreSeenOnAllThreeWithinOneSecondEach() async throws {
            try await Self.withFleet { fleet in
                #expect(await fleet.flipTimes(to: ["192.0.2.1"], within: .seconds(5)).allSatisfy { $0 != nil })
                #expect(await fleet.waitForObservations(of: ["p", "s"], within: .seconds(5)), "every vantage publishes its first results")
                var times: [Double] = []
                for flip in 0..<20 {
                    let down = flip % 2 == 0
                    let started = ContinuousClock.now
                    let reply = try await fleet.send(0, down ? "PUT" : "DELETE", "/v1/health-checks/p/override",
                                                     json: down ? #"{"state":"down","reason":"flip \#(flip)"}"# : nil)
                    #expect(reply.status == 200, "flip \(flip): \(reply.body)")
                    #expect(reply.body.contains("\"revision\""))
                    let seen = await fleet.flipTimes(to: [down ? "192.0.2.2" : "192.0.2.1"], within: .seconds(3), from: started)
                    for (index, time) in seen.enumerated() {
                        #expect(time != nil && time! < .seconds(1), "flip \(flip): ns\(index + 1) took \(time.map { "\($0)" } ?? "over 3 s")")
                    }
                    times += seen.compactMap { $0?.seconds }
                }
                #expect(times.count == 60)
                print("fleet propagation over 20 flips × 3 instances: p50 \(Int(Self.percentile(times, 0.5) * 1000)) ms, p99 \(Int(Self.percentile(times, 0.99) * 1000)) ms, max \(Int((times.max() ?? 0) * 1000)) ms")
                // Every instance has applied the same state revision, and has the history of
                // changes made through another.
                #expect(await fleet.waitUntilFleet(within: .seconds(5)) { $0.inSync && $0.instances.count == 3 } != nil)
                let table = try await fleet.instances[1].client(["fleet"])
                #expect(table.status == 0, "\(table.stderr)")
                #expect(["ns1", "ns2", "ns3", "fleet.test.", "in sync: yes"].allSatisfy { table.stdout.contains($0) }, "\(table.stdout)")
                let history = await AdminHTTP.get(port: fleet.instances[2].adminPort, path: "/v1/health-checks/p")
                #expect(history?.body.contains("flip 18") == true)
                // Observations are written on change only: three probe intervals with nothing
                // changing write nothing to etcd.
                let client = EtcdClient(endpoints: fleet.etcd.clientURLs)
                let before = try? await client.range("/switchyard/state/overrides").revision
                try? await Task.sleep(for: .seconds(3))
                let after = try? await client.range("/switchyard/state/overrides").revision
                let moved = (try? await client.range("/switchyard/", prefix: true).kvs.filter { $0.modRevision > before ?? 0 }) ?? []
                await client.shutdown()
                #expect(before != nil)
                #expect(after == before, "etcd's revision moved from \(String(describing: before)) to \(String(describing: after)) with no change: \(moved.map(\.key))")
            }
        }

        @Test func concurrentEvacuationsThatWouldEmptyANameOneIsRefusedEveryRound() async throws {
            try await Self.withFleet { fleet in
                for round in 0..<20 {
                    async let east = fleet.send(0, "POST", "/v1/regions/us-east-1/evacuate")
                    async let west = fleet.send(1, "POST", "/v1/regions/eu-west-1/evacuate")
                    let replies = try await [east, west]
                    let statuses = replies.map(\.status).sorted()
                    #expect(statuses == [200, 409], "round \(round): \(replies.map { "\($0.status) \($0.body)" })")
                    if let refused = replies.first(where: { $0.status == 409 }) {
                        #expect(refused.body.contains("app.fleet.test."))
                    }
                    // Exactly one region is down on every instance.
                    let expected = replies[0].status == 200 ? ["192.0.2.2"] : ["192.0.2.1"]
                    #expect(await fleet.flipTimes(to: expected, within: .seconds(2)).allSatisfy { $0 != nil }, "round \(round)")
                    let restored = try await fleet.send(2, "POST", "/v1/regions/\(replies[0].status == 200 ? "us-east-1" : "eu-west-1")/restore")
                    #expect(restored.status == 200)
                    #expect(await fleet.flipTimes(to: ["192.0.2.1"], within: .seconds(2)).allSatisfy { $0 != nil }, "round \(round)")
                }
            }
        }

        @Test func killingTheEtcdLeaderDoesNotStopPropagation() async throws {
            try await Self.withFleet { fleet in
                let leader = try await fleet.etcd.leaderIndex()
                fleet.etcd.kill(leader)
                for flip in 0..<6 {
                    let down = flip % 2 == 0
                    let started = ContinuousClock.now
                    let reply = try await fleet.send(flip % 3, down ? "PUT" : "DELETE", "/v1/health-checks/p/override",
                                                     json: down ? #"{"state":"down"}"# : nil)
                    #expect(reply.status == 200, "flip \(flip) after killing member \(leader): \(reply.body)")
                    let seen = await fleet.flipTimes(to: [down ? "192.0.2.2" : "192.0.2.1"], within: .seconds(3), from: started)
                    #expect(seen.allSatisfy { $0 != nil }, "flip \(flip): \(seen)")
                }
                #expect(await fleet.waitUntilFleet(within: .seconds(5)) { $0.inSync && $0.instances.allSatisfy(\.connected) } != nil)
            }
        }

        @Test func withEtcdStoppedAnswersHoldOverridesExpireWritesAre503AndAllConvergeWhenItReturns() async throws {
            try await Self.withFleet { fleet in
                // A time-boxed evacuation of the primary, made before the outage.
                let set = try await fleet.send(0, "PUT", "/v1/health-checks/p/override", json: #"{"state":"down","for":"8s"}"#)
                #expect(set.status == 200, "\(set.body)")
                let expiresAt = ContinuousClock.now + .seconds(8)
                #expect(await fleet.flipTimes(to: ["192.0.2.2"], within: .seconds(2)).allSatisfy { $0 != nil })

                fleet.etcd.stopAll()
                var disconnected = false
                for _ in 0..<50 where !disconnected {
                    disconnected = await fleet.metric(0, "switchyard_cluster_connected") == "0"
                    if !disconnected { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(disconnected, "switchyard_cluster_connected did not become 0 within 5 s")
                // Answers are unchanged on every instance.
                #expect(await fleet.flipTimes(to: ["192.0.2.2"], within: .seconds(1)).allSatisfy { $0 != nil })
                // Writes answer 503 naming the cluster.
                let refused = try await fleet.send(1, "PUT", "/v1/health-checks/s/override", json: #"{"state":"down","force":true}"#)
                #expect(refused.status == 503)
                let problem = try? JSONDecoder().decode(AdminJSON.Problem.self, from: Data(refused.body.utf8))
                #expect(problem?.cluster == fleet.etcd.clientURLs, "\(refused.body)")
                // An instance restarted meanwhile serves the last overrides from its local copy.
                try await fleet.instances[2].killAndRestart()
                #expect(fleet.instances[2].addresses(FleetEndToEndTests.app) == ["192.0.2.2"])
                #expect(ContinuousClock.now < expiresAt, "the outage steps took longer than the override lasts")

                // The override expires on each instance's clock, etcd or not.
                let expired = await fleet.flipTimes(to: ["192.0.2.1"], within: .seconds(12))
                let late = ContinuousClock.now - expiresAt
                #expect(expired.allSatisfy { $0 != nil }, "\(expired)")
                #expect(late < .seconds(2), "the expiry came \(late) late")

                // etcd back: every instance reconnects, catches up and agrees; writes work again.
                let back = ContinuousClock.now
                try await fleet.etcd.restartAll()
                let converged = await fleet.waitUntilFleet(within: .seconds(15)) { fleet in
                    fleet.inSync && fleet.instances.count == 3 && fleet.instances.allSatisfy(\.connected)
                }
                let seen = await fleet.fleet()
                #expect(converged != nil, "\(String(describing: seen))")
                var written: RawHTTP.Reply?
                while ContinuousClock.now - back < .seconds(15) {
                    written = try await fleet.send(1, "PUT", "/v1/health-checks/p/override", json: #"{"state":"down"}"#)
                    if written?.status == 200 { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(written?.status == 200, "\(written?.body ?? "")")
                print("writes work again \(ContinuousClock.now - back) after etcd restarted")
                #expect(await fleet.flipTimes(to: ["192.0.2.2"], within: .seconds(2)).allSatisfy { $0 != nil })
                for index in 0..<3 { #expect(await fleet.metric(index, "switchyard_cluster_connected") == "1") }
            }
        }

        @Test func aKilledInstancesVantageStopsCountingAndItLeavesTheFleet() async throws {
            // ns3 probes the primary at an address where nothing listens: with vantages=all the
            // fleet sees the primary down while ns3 is alive.
            try await Self.withFleet(vantages: "all", lease: 2, zones: { primary, secondary in
                let healthy = FleetEndToEndTests.zone(primary: primary.url, secondary: secondary.url, vantages: "all")
                return [healthy, healthy, FleetEndToEndTests.zone(primary: "http://127.0.0.53:9/", secondary: secondary.url, vantages: "all")]
            }) { fleet in
                #expect(await fleet.flipTimes(to: ["192.0.2.2"], within: .seconds(5)).allSatisfy { $0 != nil },
                        "with ns3 seeing the primary down, vantages=all fails over everywhere")
                kill(fleet.instances[2].server.child.pid, SIGKILL)
                _ = await fleet.instances[2].server.child.exit(timeout: .seconds(5))
                let survivors = fleet.instances.prefix(2)
                let started = ContinuousClock.now
                var back = false
                while !back && ContinuousClock.now - started < .seconds(10) {
                    back = survivors.allSatisfy { $0.addresses(FleetEndToEndTests.app) == ["192.0.2.1"] }
                    if !back { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(back, "ns3's observation still counts 10 s after it was killed")
                print("a killed instance's vantage stopped counting after \(ContinuousClock.now - started) (lease 2 s)")
                #expect(await fleet.waitUntilFleet(within: .seconds(5)) { $0.instances.map(\.name).sorted() == ["ns1", "ns2"] } != nil)
                let check = await AdminHTTP.get(port: fleet.instances[0].adminPort, path: "/v1/health-checks/p")
                #expect(check?.body.contains("\"ns2\"") == true)
                #expect(check?.body.contains("\"ns3\"") == false)
            }
        }
    }
}
