import Foundation
import HealthChecks
import Logging
import NIOCore
import NIOPosix
import Testing
import ZoneFile
import Zones
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §5: a probe that fails for a local reason does not count against its target; the
/// check keeps its last state, marked stale.
@Suite struct LocalFailureTests {
    static func check(threshold: Int) -> HealthCheckDefinition {
        var check = HealthCheckDefinition(id: "app", target: .http(host: "127.0.0.1", port: 9, path: "/health"),
                                          location: SourceLocation(file: "t", line: 1, column: 1))
        check.threshold = threshold
        return check
    }

    static func result(_ outcome: ProbeResult.Outcome) -> ProbeResult {
        ProbeResult(outcome: outcome, reason: outcome == .localError ? "local failure: EMFILE" : "test", at: Date(), milliseconds: 1)
    }

    static func monitor(threshold: Int) async -> (HealthMonitor, MultiThreadedEventLoopGroup, NetworkProber) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let monitor = HealthMonitor(store: HealthStore(), overrideStore: nil, prober: prober, logger: Logger(label: "t"))
        await monitor.update([check(threshold: threshold)])
        return (monitor, group, prober)
    }

    @Test func aLocalErrorAfterPassesLeavesTheCheckHealthyAndStale() async throws {
        let (monitor, group, prober) = await Self.monitor(threshold: 1)
        await monitor.record("app", Self.result(.passed))
        await monitor.record("app", Self.result(.passed))
        #expect(await monitor.status(of: "app")?.stale == false)
        // Threshold 1: a single failure would turn it unhealthy; local errors never do.
        for _ in 0..<5 { await monitor.record("app", Self.result(.localError)) }
        #expect(monitor.store.current.isHealthy("app"))
        let status = await monitor.status(of: "app")
        #expect(status?.observed == true)
        #expect(status?.stale == true)
        #expect(status?.lastResult?.outcome == .localError)
        // A probe made again clears the mark.
        await monitor.record("app", Self.result(.passed))
        #expect(await monitor.status(of: "app")?.stale == false)
        await prober.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func aLocalErrorLeavesAnUnhealthyCheckUnhealthyAndDoesNotBreakAStreak() async throws {
        let (monitor, group, prober) = await Self.monitor(threshold: 2)
        await monitor.record("app", Self.result(.failed))
        await monitor.record("app", Self.result(.failed))
        #expect(!monitor.store.current.isHealthy("app"))
        await monitor.record("app", Self.result(.localError))
        #expect(!monitor.store.current.isHealthy("app"))
        #expect(await monitor.status(of: "app")?.stale == true)
        // Neither a pass nor a reset: pass, local error, pass brings it back at threshold 2.
        await monitor.record("app", Self.result(.passed))
        await monitor.record("app", Self.result(.localError))
        #expect(!monitor.store.current.isHealthy("app"))
        await monitor.record("app", Self.result(.passed))
        #expect(monitor.store.current.isHealthy("app"))
        await prober.shutdown()
        try await group.shutdownGracefully()
    }

    /// A listening socket on 127.0.0.1 and its port, closed by the caller.
    static func listener() throws -> (LoopbackSocket, UInt16) {
        let socket = try LoopbackSocket(udp: false)
        guard socket.bind(port: 0), let port = socket.localPort, listen(socket.fd, 4) == 0 else {
            socket.close()
            throw LoopbackSocket.Failure.system("bind/listen", errno)
        }
        return (socket, port)
    }

    @Test func realNIOErrorsAreClassifiedByTheirErrno() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (socket, port) = try Self.listener()
        // No local address 192.0.2.1 (TEST-NET-1): NIO's bind fails with EADDRNOTAVAIL, an
        // attempt this host could not make.
        do {
            let channel = try await ClientBootstrap(group: group).bind(to: try SocketAddress(ipAddress: "192.0.2.1", port: 0))
                .connect(host: "127.0.0.1", port: Int(port)).get()
            try? await channel.close()
            Issue.record("binding to an address this host does not have must fail")
        } catch {
            #expect(LocalFailure.errnoCode(of: error) == EADDRNOTAVAIL, "\(type(of: error)): \(error)")
        }
        socket.close()
        // The same port, now closed: refused by the target's host, not local.
        do {
            let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: Int(port)).get()
            try? await channel.close()
            Issue.record("a closed port must refuse")
        } catch {
            #expect(LocalFailure.errnoCode(of: error) == nil, "\(type(of: error)): \(error)")
        }
        // Through the prober (AsyncHTTPClient for HTTP, NIO for TCP): refused is a failure.
        let prober = NetworkProber(group: group)
        var http = Self.check(threshold: 1)
        http.target = .http(host: "127.0.0.1", port: Int(port), path: "/")
        var tcp = http
        tcp.target = .tcp(host: "127.0.0.1", port: Int(port))
        #expect(await prober.probe(http).outcome == .failed)
        #expect(await prober.probe(tcp).outcome == .failed)
        #expect(LocalFailure.errnoCode(of: IOError(errnoCode: EMFILE, reason: "socket")) == EMFILE)
        await prober.shutdown()
        try await group.shutdownGracefully()
    }
}
