import DNSWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §5, the descriptor-exhaustion attack: when the server cannot open a socket, its
/// probes fail locally; that must not count against the target (no failover), the check is
/// shown stale, and the log says it was local. Reproduced with a real EMFILE in a child
/// process (the built binary, its soft descriptor limit lowered while it runs), never in
/// the test process, which runs other tests meanwhile.
@Suite(.serialized) struct LocalFailureEndToEndTests {
    static func zone(primary: HTTPBackend, secondary: HTTPBackend) -> String {
        """
        $ORIGIN fd.test.
        $TTL 60
        @   IN SOA ns hostmaster 1 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        $HEALTHCHECK p \(primary.url) interval=1s timeout=3s threshold=2
        $HEALTHCHECK s \(secondary.url) interval=1s timeout=3s threshold=2
        $HEALTHCHECK t tcp://\(secondary.host):\(secondary.port) interval=1s timeout=3s threshold=2
        app [failover id=primary role=primary health=p]   60 IN A 192.0.2.1
        app [failover id=standby role=secondary health=s] 60 IN A 192.0.2.2
        """
    }

    /// Admin connections opened before the limit was lowered (a new one could not be
    /// accepted). Two, so that one lost to a slow or garbled exchange on this busy test
    /// machine does not end the test: a connection that failed once is not used again.
    final class AdminConnections: @unchecked Sendable {
        let sockets: [LoopbackSocket]
        var failed: Set<Int32> = []
        let lock = NSLock()

        init(port: UInt16, count: Int = 2) throws {
            var sockets: [LoopbackSocket] = []
            for _ in 0..<count {
                let socket = try LoopbackSocket(udp: false)
                socket.setTimeout(.seconds(8))
                try socket.connect(port: port)
                sockets.append(socket)
            }
            self.sockets = sockets
        }

        func close() { for socket in sockets { socket.close() } }

        /// A check as the API shows it, from the first connection still in order.
        func check(host: String, id: String = "p") throws -> [String: Any] {
            var lastError: (any Error)? = nil
            for socket in sockets where !lock.withLock({ failed.contains(socket.fd) }) {
                do {
                    try socket.sendAll(RawHTTP.request("GET", "/v1/health-checks/\(id)", host: host))
                    let reply = try RawHTTP.readReply(socket)
                    return (try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]) ?? [:]
                } catch {
                    _ = lock.withLock { failed.insert(socket.fd) }
                    lastError = error
                }
            }
            throw lastError ?? LoopbackSocket.Failure.closed
        }
    }

    static func check(_ admin: AdminConnections, host: String, id: String = "p") throws -> [String: Any] {
        try admin.check(host: host, id: id)
    }

    @Test(.enabled(if: ExternalTool.find("prlimit") != nil, "needs prlimit (Debian package util-linux)"))
    func descriptorExhaustionIsALocalFailureAndNeverAFailover() async throws {
        let primary = try await HTTPBackend.start(host: "127.0.0.73")
        let secondary = try await HTTPBackend.start(host: "127.0.0.74")
        let folder = try TemporaryFolder(prefix: "emfile")
        defer { folder.remove() }
        try folder.writeZone(Self.zone(primary: primary, secondary: secondary), as: "fd.test.zone")
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("fd.test.", .soa), extraArguments: ["--admin-request-timeout", "120"])
        defer { sy.stop() }
        let prlimit = try #require(ExternalTool.find("prlimit"))
        let pid = String(sy.server.child.pid)
        let host = "127.0.0.1:\(sy.adminPort)"
        let admin = try AdminConnections(port: sy.adminPort)
        defer { admin.close() }

        let passed = await SwitchyardProcess.poll(within: .seconds(10)) {
            ((try? Self.check(admin, host: host))?["lastResult"] as? String)?.hasPrefix("pass") == true
        }
        #expect(passed != nil, "no passing probe: \(sy.server.child.output)")
        let limits = try await ExternalTool.run(prlimit, ["--pid", pid, "--nofile", "--output", "SOFT", "--noheadings"])
        let soft = limits.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(soft) != nil, "\(limits)")

        // No new descriptor can be had: every probe socket fails with EMFILE.
        let lowered = try await ExternalTool.run(prlimit, ["--pid", pid, "--nofile=3:"])
        #expect(lowered.status == 0, "\(lowered.stderr)")
        let logged = await SwitchyardProcess.poll(within: .seconds(10)) { sy.server.child.output.contains("local failure") }
        #expect(logged != nil, "no local failure logged: \(sy.server.child.output)")
        let log = sy.server.child.output.split(separator: "\n").first { $0.contains("local failure") } ?? ""
        #expect(["p", "s", "t"].contains { log.contains("health check \($0):") }, "\(log)")
        #expect(log.contains("EMFILE"), "\(log)")
        #expect(log.contains("not counted against the target"))
        // Threshold 2, probes every second for the many seconds this waits: two counted
        // failures in a row would have failed over. It did not. (A timeout of 3 s, so a
        // machine loaded by the rest of the suite does not fail a probe of a live backend.)
        let marked = await SwitchyardProcess.poll(within: .seconds(20)) { (try? Self.check(admin, host: host))?["stale"] as? Bool == true }
        #expect(marked != nil)
        let stale = try Self.check(admin, host: host)
        #expect(stale["stale"] as? Bool == true, "\(stale)")
        #expect(stale["effective"] as? String == "healthy")
        #expect((stale["lastResult"] as? String)?.hasPrefix("local failure") == true, "\(stale)")
        #expect(sy.addresses("app.fd.test.") == ["192.0.2.1"])
        // The same for a TCP check (NIO's own connect, not AsyncHTTPClient).
        let tcpMarked = await SwitchyardProcess.poll(within: .seconds(10)) {
            ((try? Self.check(admin, host: host, id: "t"))?["lastResult"] as? String)?.hasPrefix("local failure") == true
        }
        #expect(tcpMarked != nil, "\((try? Self.check(admin, host: host, id: "t")) ?? [:])")
        #expect((try Self.check(admin, host: host, id: "t"))["effective"] as? String == "healthy")
        #expect(!sy.server.child.output.contains("is now unhealthy"), "\(sy.server.child.output)")

        // Descriptors back: probes are made again and the mark goes.
        let restored = try await ExternalTool.run(prlimit, ["--pid", pid, "--nofile=\(soft):"])
        #expect(restored.status == 0, "\(restored.stderr)")
        let fresh = await SwitchyardProcess.poll(within: .seconds(10)) {
            let check = (try? Self.check(admin, host: host)) ?? [:]
            return check["stale"] as? Bool == false && (check["lastResult"] as? String)?.hasPrefix("pass") == true
        }
        #expect(fresh != nil, "\(sy.server.child.output)")
        await primary.stop()
        await secondary.stop()
    }
}
