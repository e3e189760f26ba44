import Foundation
import HealthChecks
import NIOPosix
import Testing
import ZoneFile
import Zones
#if canImport(Glibc)
import Glibc
#endif

/// Real probes against real listeners on loopback (ROUTE53.md §4.2, §10 item 24).
@Suite struct NetworkProberTests {
    static func http(_ backend: HTTPBackend, match: String? = nil, timeout: UInt32 = 5) -> HealthCheckDefinition {
        var check = HealthCheckDefinition(id: "t", target: .http(host: backend.host, port: backend.port, path: "/health"),
                                          location: SourceLocation(file: "t", line: 1, column: 1))
        check.match = match
        check.timeout = timeout
        return check
    }

    static func withProber(_ body: (NetworkProber) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        try await body(prober)
        await prober.shutdown()
        try await group.shutdownGracefully()
    }

    @Test(arguments: [(200, true), (302, true), (399, true), (400, false), (503, false)])
    func item24_statusDecides(status: Int, healthy: Bool) async throws {
        let backend = try await HTTPBackend.start(host: "127.0.0.2", behaviour: .init(status: status))
        try await Self.withProber { prober in
            let result = await prober.probe(Self.http(backend))
            #expect(result.passed == healthy)
            #expect(result.reason.contains("HTTP \(status)"))
        }
        await backend.stop()
    }

    @Test func item24_matchMustLieWithinTheFirst5120Bytes() async throws {
        let backend = try await HTTPBackend.start(host: "127.0.0.3")
        try await Self.withProber { prober in
            backend.set { $0.body = String(repeating: "x", count: 5000) + "READY" }
            #expect(await prober.probe(Self.http(backend, match: "READY")).passed)
            // Starts at byte 5,121: outside the window.
            backend.set { $0.body = String(repeating: "x", count: 5120) + "READY" }
            #expect(!(await prober.probe(Self.http(backend, match: "READY")).passed))
            // Split across the boundary: must appear entirely inside.
            backend.set { $0.body = String(repeating: "x", count: 5117) + "READY" }
            #expect(!(await prober.probe(Self.http(backend, match: "READY")).passed))
            backend.set { $0.body = "all good" }
            let missing = await prober.probe(Self.http(backend, match: "READY"))
            #expect(!missing.passed)
            #expect(missing.reason.contains("not in the first"))
        }
        await backend.stop()
    }

    @Test func aHangingEndpointTimesOut() async throws {
        let backend = try await HTTPBackend.start(host: "127.0.0.4", behaviour: .init(hang: true))
        try await Self.withProber { prober in
            let started = ContinuousClock.now
            let result = await prober.probe(Self.http(backend, timeout: 1))
            #expect(!result.passed)
            // 4 s to connect and the 1 s timeout for the status: never longer (one second of slack).
            #expect(ContinuousClock.now - started < .seconds(6))
        }
        await backend.stop()
    }

    @Test func refusedConnectionsFail() async throws {
        let backend = try await HTTPBackend.start(host: "127.0.0.5")
        let check = Self.http(backend)
        await backend.stop()
        try await Self.withProber { prober in
            let result = await prober.probe(check)
            #expect(!result.passed)
        }
    }

    @Test func tcpProbesConnect() async throws {
        let backend = try await HTTPBackend.start(host: "127.0.0.6")
        var check = HealthCheckDefinition(id: "tcp", target: .tcp(host: backend.host, port: backend.port),
                                          location: SourceLocation(file: "t", line: 1, column: 1))
        check.timeout = 1
        try await Self.withProber { prober in
            #expect(await prober.probe(check).passed)
        }
        await backend.stop()
        try await Self.withProber { prober in
            #expect(!(await prober.probe(check).passed))
        }
    }
}
