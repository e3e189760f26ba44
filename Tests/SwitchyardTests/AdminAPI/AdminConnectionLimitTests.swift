import AdminAPI
import Foundation
import Testing

/// SPEC §5: the admin API bounds its connections and the time to send a request. Real
/// sockets against the real server, with the limits lowered to reach them quickly.
@Suite struct AdminConnectionLimitTests {
    static func healthz(_ host: String) -> [UInt8] { RawHTTP.request("GET", "/healthz", host: host) }

    @Test func connectionsBeyondTheCapAreRefusedAndClosingOnesFreesSlots() async throws {
        let cap = 4
        let server = try await LiveAdminServer.start(limits: AdminConnectionLimits(maxConnections: cap, requestTimeout: .seconds(30)))
        let port = server.port
        let request = Self.healthz(server.host)
        let outcome = try await onThread { () -> [String] in
            var notes: [String] = []
            // Fill the cap; one request on each shows it was let in, then it sits idle.
            var held: [LoopbackSocket] = []
            defer { for socket in held { socket.close() } }
            for _ in 0..<cap {
                let socket = try LoopbackSocket(udp: false)
                socket.setTimeout(.seconds(5))
                try socket.connect(port: port)
                held.append(socket)
                try socket.sendAll(request)
                notes.append("held \(try RawHTTP.readReply(socket).status)")
            }
            // One more: answered 503 and closed (or reset), never served.
            let extra = try LoopbackSocket(udp: false)
            defer { extra.close() }
            extra.setTimeout(.seconds(5))
            try extra.connect(port: port)
            if let reply = try? RawHTTP.readReply(extra) { notes.append("extra \(reply.status)") }
            notes.append("extra closed \(RawHTTP.closedByPeer(extra, wait: .seconds(5)))")
            // The connections let in keep working.
            try held[0].sendAll(request)
            notes.append("held again \(try RawHTTP.readReply(held[0]).status)")
            // Closing two frees two slots (the server counts them out as it sees the close).
            held.removeLast().close()
            held.removeLast().close()
            var served = 0
            for _ in 0..<50 where served < 2 {
                let socket = try LoopbackSocket(udp: false)
                socket.setTimeout(.seconds(5))
                try socket.connect(port: port)
                if (try? socket.sendAll(request)) != nil, let reply = try? RawHTTP.readReply(socket), reply.status == 200 {
                    served += 1
                    held.append(socket)
                } else {
                    socket.close()
                    usleep(50_000)
                }
            }
            notes.append("served after closing \(served)")
            return notes
        }
        #expect(outcome.filter { $0 == "held 200" }.count == cap, "\(outcome)")
        #expect(!outcome.contains("extra 200"), "\(outcome)")
        #expect(outcome.contains("extra closed true"), "\(outcome)")
        #expect(outcome.contains("held again 200"), "\(outcome)")
        #expect(outcome.contains("served after closing 2"), "\(outcome)")
        try await server.stop()
    }

    /// Sends `prefix`, then one more byte of `drip` every 200 ms, until the server closes
    /// the connection or 5 s pass; returns how long the server took to close it (nil: never).
    static func trickle(port: UInt16, prefix: [UInt8], drip: [UInt8]) async throws -> Duration? {
        try await onThread {
            let socket = try LoopbackSocket(udp: false)
            defer { socket.close() }
            try socket.connect(port: port)
            let started = ContinuousClock.now
            guard RawHTTP.sendQuietly(socket, prefix) else { return nil }
            for index in 0..<25 {
                if RawHTTP.closedByPeer(socket, wait: .milliseconds(200)) { return ContinuousClock.now - started }
                if !drip.isEmpty { _ = RawHTTP.sendQuietly(socket, [drip[index % drip.count]]) }
            }
            return nil
        }
    }

    @Test func halfSentRequestsAreClosedAtTheDeadlineWhateverIsTrickled() async throws {
        let deadline = Duration.seconds(1)
        let server = try await LiveAdminServer.start(limits: AdminConnectionLimits(maxConnections: 64, requestTimeout: deadline))
        let host = server.host
        // Headers that never end, a byte every 200 ms (a fifth of the deadline).
        async let headers = Self.trickle(port: server.port, prefix: Array("GET /healthz HTTP/1.1\r\nHost: \(host)\r\n".utf8),
                                         drip: Array("X-Slow: aaaaaaaa\r\n".utf8))
        // A body shorter than its Content-Length, topped up a byte at a time.
        async let body = Self.trickle(port: server.port, prefix: Array(
            "PUT /v1/health-checks/p/override HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{".utf8),
                                      drip: Array(" ".utf8))
        // Meanwhile a whole request is served.
        let normal = try await RawHTTP.exchange(port: server.port, Self.healthz(host))
        #expect(normal.status == 200)
        for (name, closed) in [("headers", try await headers), ("body", try await body)] {
            #expect(closed != nil, "\(name): never closed in 5 s")
            if let closed {
                print("half-sent \(name) closed after \(closed) (deadline \(deadline))")
                #expect(closed >= deadline - .milliseconds(100), "\(name) closed after \(closed)")
                #expect(closed < deadline + .milliseconds(700), "\(name) closed after \(closed)")
            }
        }
        // An idle connection is closed at the deadline too, and a fresh one is served.
        let idle = try await Self.trickle(port: server.port, prefix: [], drip: [])
        #expect(idle != nil)
        if let idle { #expect(idle < deadline + .milliseconds(700)) }
        #expect(await server.fixture.backend.monitor.status(of: "p")?.override == nil)
        try await server.stop()
    }
}
