import DNSWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §1 client commands, §3 health rules and §4 overrides, end to end: the built
/// binary, real HTTP backends on loopback, real DNS queries.
@Suite(.serialized) struct DrillEndToEndTests {
    static func zone(primary: HTTPBackend, secondary: HTTPBackend) -> String {
        """
        $ORIGIN drill.test.
        $TTL 60
        @   IN SOA ns hostmaster 1 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        $HEALTHCHECK p \(primary.url) interval=1s timeout=1s threshold=2 region=us-east-1
        $HEALTHCHECK s \(secondary.url) interval=1s timeout=1s threshold=2 region=eu-west-1
        app [failover id=primary role=primary health=p]   60 IN A 192.0.2.1
        app [failover id=standby role=secondary health=s] 60 IN A 192.0.2.2
        """
    }

    @Test func answersMoveWhenABackendStopsAndOverridesSurviveKill9() async throws {
        let primary = try await HTTPBackend.start(host: "127.0.0.31")
        let secondary = try await HTTPBackend.start(host: "127.0.0.32")
        let folder = try TemporaryFolder(prefix: "drill")
        defer { folder.remove() }
        try folder.writeZone(Self.zone(primary: primary, secondary: secondary), as: "drill.test.zone")
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("drill.test.", .soa))
        defer { sy.stop() }
        let app: DomainName = "app.drill.test."
        #expect(sy.addresses(app) == ["192.0.2.1"])

        // Stop the primary's endpoint: the answer moves within interval × threshold + 1 s.
        let primaryPort = primary.port
        await primary.stop()
        let moved = await sy.waitForAnswer(app, ["192.0.2.2"], within: .seconds(10))
        #expect(moved != nil)
        if let moved {
            print("failover after stopping the primary: \(String(format: "%.2f", moved.seconds)) s (interval 1 s × threshold 2 = 2 s, bound 3 s)")
            #expect(moved <= .seconds(3))
        }
        // Start it again: the answer comes back.
        let restarted = try await HTTPBackend.start(host: "127.0.0.31", port: primaryPort)
        #expect(await sy.waitForAnswer(app, ["192.0.2.1"], within: .seconds(10)) != nil)

        // A drill override flips the answer at once (the next query after the call returns).
        let down = try await sy.client(["health", "down", "p", "--for", "15m", "--reason", "drill 42"])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(sy.addresses(app) == ["192.0.2.2"])
        let list = try await sy.client(["health"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("drill 42"))
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("p ") && $0.contains("down until") && $0.contains("unhealthy") })

        // Marking the secondary down too would leave app with no healthy set: refused, naming it.
        let refused = try await sy.client(["health", "down", "s"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("app.drill.test."))
        #expect(refused.stderr.contains("409"))

        // kill -9 and restart: the override is still there, with its history.
        try await sy.killAndRestart()
        #expect(sy.addresses(app) == ["192.0.2.2"])
        let json = try await sy.client(["health", "list", "--json"])
        #expect(json.stdout.contains("\"overrideReason\":\"drill 42\""))

        let auto = try await sy.client(["health", "auto", "p"])
        #expect(auto.status == 0, "\(auto.stderr)")
        #expect(sy.addresses(app) == ["192.0.2.1"])

        // Evacuate and restore a region.
        let evacuate = try await sy.client(["evacuate", "us-east-1", "--for", "10m"])
        #expect(evacuate.status == 0, "\(evacuate.stderr)")
        #expect(sy.addresses(app) == ["192.0.2.2"])
        let restore = try await sy.client(["restore", "us-east-1"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(sy.addresses(app) == ["192.0.2.1"])

        // explain shows the answer and why.
        let explain = try await sy.client(["explain", "app.drill.test", "A"])
        #expect(explain.status == 0)
        #expect(explain.stdout.contains("192.0.2.1"))
        #expect(explain.stdout.contains("chosen [primary]: primary is healthy"))

        await restarted.stop()
        await secondary.stop()
    }

    @Test func clientCommandsSayWhenTheServerIsNotRunning() async throws {
        guard let executable = RepositoryLayout.switchyard else { return }
        let port = try LoopbackPort.pick()
        let result = try await ExternalTool.run(executable, ["health", "--admin", "http://127.0.0.1:\(port)"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot reach the switchyard admin API"))
    }

    @Test func serveRefusesANonLoopbackAdminAddressWithoutAToken() async throws {
        let executable = try #require(RepositoryLayout.switchyard)
        let folder = try TemporaryFolder(prefix: "admin")
        defer { folder.remove() }
        let result = try await ExternalTool.run(executable, ["serve", RepositoryLayout.root.appendingPathComponent("zones").path,
                                                       "--listen", "127.0.0.1:0", "--admin", "0.0.0.0:0", "--state-dir", folder.url.path],
                                          timeout: .seconds(20))
        #expect(result.status == 1)
        #expect(result.stderr.contains("without --admin-token-file"))
    }

    /// The admin port taken by another program: `serve` says so and exits, instead of
    /// serving DNS without its admin API and then ignoring SIGTERM.
    @Test func serveExitsNamingTheAdminAddressWhenItsPortIsTaken() async throws {
        let executable = try #require(RepositoryLayout.switchyard)
        let folder = try TemporaryFolder(prefix: "admin-taken")
        defer { folder.remove() }
        let holder = try LoopbackSocket(udp: false)
        defer { holder.close() }
        guard holder.bind(port: 0), let port = holder.localPort, listen(holder.fd, 4) == 0 else {
            Issue.record("cannot hold a loopback port")
            return
        }
        let result = try await ExternalTool.run(executable, ["serve", RepositoryLayout.root.appendingPathComponent("zones").path,
                                                       "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:\(port)", "--state-dir", folder.url.path],
                                          timeout: .seconds(20))
        #expect(result.status == 1)
        #expect(result.stderr.contains("admin API") && result.stderr.contains("127.0.0.1:\(port)"), "\(result.stderr)")
    }
}
