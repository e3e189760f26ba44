import DNSServer
import DNSWire
import Foundation
import NIOCore
import Testing
import Zones
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §5's TCP limits, each attack reproduced over loopback against a live server:
/// trickled messages, too many connections from one network or in all, and a client
/// that pipelines queries without reading the replies.
@Suite struct TCPLimitTests {
    static func zones() -> ZoneSet { ZoneFixtures.zoneSet(LiveServerTests.zoneText, origin: "live.test.") }

    static func framedQuery(_ id: UInt16, _ name: DomainName = "www.live.test.", _ type: RecordType = .a) -> [UInt8] {
        DNSTestClient.framed(Message.query(id: id, name: name, type: type))
    }

    /// Whether a connection from `source` gets an answer over TCP.
    static func answered(from source: String, port: Int) -> Bool {
        guard let socket = try? LoopbackSocket(udp: false, from: source) else { return false }
        defer { socket.close() }
        socket.setTimeout(.seconds(2))
        guard (try? socket.connect(port: UInt16(port))) != nil,
              (try? socket.sendAll(Self.framedQuery(7))) != nil,
              let reply = try? socket.readMessage() else { return false }
        return reply.answers.count == 1
    }

    @Test func aTrickledMessageIsCutOffAtTheDeadline() async throws {
        let live = try await LiveServer(zones: Self.zones()) { $0.tcpIdleTimeout = .milliseconds(600) }
        let port = live.tcpPort
        // 31 octets, one every 100 ms: the whole message would need 3 s. Each byte used to
        // restart the idle timer, so it arrived and was answered.
        let (closedAfter, sent) = await onOwnThread { () -> (Duration?, Int) in
            guard let socket = try? LoopbackSocket(udp: false) else { return (nil, 0) }
            defer { socket.close() }
            socket.setTimeout(.milliseconds(100))
            guard (try? socket.connect(port: UInt16(port))) != nil else { return (nil, 0) }
            let message = Self.framedQuery(1)
            let started = ContinuousClock.now
            var sent = 0
            for byte in message {
                if socket.sendSome([byte]) != 1 { break }
                sent += 1
                if socket.waitUntilClosed(within: .milliseconds(100)) { return (ContinuousClock.now - started, sent) }
            }
            return (socket.waitUntilClosed(within: .seconds(3)) ? ContinuousClock.now - started : nil, sent)
        }
        let took = try #require(closedAfter, "the server never closed the trickling connection")
        #expect(took >= Duration.milliseconds(500) && took < Duration.milliseconds(3000), "closed after \(took)")
        #expect(sent < Self.framedQuery(1).count, "the whole message got through (\(sent) octets)")
        try await live.stop()
    }

    @Test func aPipelinedConnectionIsServedAcrossManyQueries() async throws {
        let live = try await LiveServer(zones: Self.zones()) { $0.tcpIdleTimeout = .milliseconds(500) }
        let port = live.tcpPort
        // Whole messages keep the connection alive however long it lasts in all.
        let answers = await onOwnThread { () -> Int in
            guard let socket = try? LoopbackSocket(udp: false) else { return 0 }
            defer { socket.close() }
            socket.setTimeout(.seconds(2))
            guard (try? socket.connect(port: UInt16(port))) != nil else { return 0 }
            var answers = 0
            for id in 0..<8 {
                guard (try? socket.sendAll(Self.framedQuery(UInt16(id)))) != nil, (try? socket.readMessage()) != nil else { break }
                answers += 1
                usleep(200_000)
            }
            return answers
        }
        #expect(answers == 8)
        try await live.stop()
    }

    @Test func oneClientGetsAtMost64Connections() async throws {
        let live = try await LiveServer(zones: Self.zones())
        #expect(live.server.admission.perClient == 64)
        let port = live.tcpPort
        let outcome = await onOwnThread { () -> (held: Int, extraRefused: Bool, otherServed: Bool, freedServed: Bool) in
            var sockets: [LoopbackSocket] = []
            defer { for s in sockets { s.close() } }
            var held = 0
            for k in 0..<64 {
                guard let socket = try? LoopbackSocket(udp: false, from: "127.0.0.1") else { break }
                sockets.append(socket)
                socket.setTimeout(.seconds(2))
                guard (try? socket.connect(port: UInt16(port))) != nil,
                      (try? socket.sendAll(Self.framedQuery(UInt16(k)))) != nil,
                      (try? socket.readMessage()) != nil else { break }
                held += 1
            }
            let extraRefused = !Self.answered(from: "127.0.0.1", port: port)
            let otherServed = Self.answered(from: "127.0.0.2", port: port)
            // Closing one frees its place (the server counts it out when it sees the close).
            sockets.removeLast().close()
            var freedServed = false
            for _ in 0..<40 where !freedServed {
                freedServed = Self.answered(from: "127.0.0.1", port: port)
                if !freedServed { usleep(50_000) }
            }
            return (held, extraRefused, otherServed, freedServed)
        }
        #expect(outcome.held == 64)
        #expect(outcome.extraRefused, "a 65th connection from 127.0.0.1 was served")
        #expect(outcome.otherServed, "127.0.0.2 was turned away with 127.0.0.1")
        #expect(outcome.freedServed)
        try await live.stop()
    }

    @Test func theTotalCapTurnsAwayConnectionsFromEveryNetwork() async throws {
        let live = try await LiveServer(zones: Self.zones()) { $0.maxTCPConnections = 10 }
        let port = live.tcpPort
        let outcome = await onOwnThread { () -> (held: Int, refused: Bool) in
            var sockets: [LoopbackSocket] = []
            defer { for s in sockets { s.close() } }
            for k in 0..<10 {
                guard let socket = try? LoopbackSocket(udp: false, from: "127.0.3.\(k + 1)") else { break }
                sockets.append(socket)
                socket.setTimeout(.seconds(2))
                guard (try? socket.connect(port: UInt16(port))) != nil,
                      (try? socket.sendAll(Self.framedQuery(UInt16(k)))) != nil,
                      (try? socket.readMessage()) != nil else { break }
            }
            return (sockets.count, !Self.answered(from: "127.0.3.99", port: port))
        }
        #expect(outcome.held == 10)
        #expect(outcome.refused)
        #expect(live.server.admission.openConnections <= 10)
        try await live.stop()
    }

    @Test func theDefaultTotalKeepsHalfTheDescriptorsFree() {
        #expect(DescriptorLimit.tcpConnectionBudget(limit: 1024) == 512)
        #expect(DescriptorLimit.tcpConnectionBudget(limit: 256) == 128)
        #expect(DescriptorLimit.tcpConnectionBudget(limit: 1024, requested: 5000) == 960)
        #expect(DescriptorLimit.tcpConnectionBudget(limit: 1024, requested: 100) == 100)
        // At start the soft limit is raised to the hard one.
        #expect(DescriptorLimit.raiseSoftToHard() == DescriptorLimit.current)
    }

    @Test func aClientThatDoesNotReadItsRepliesIsCutOff() async throws {
        let live = try await LiveServer(zones: Self.zones()) { $0.tcpIdleTimeout = .seconds(1) }
        let port = live.tcpPort
        // Queries for a 1.5 KB answer, sent without ever reading: before, the server read
        // them all and queued every reply in memory (230 MiB for 900k queries).
        let outcome = await onOwnThread { () -> (sent: Int, closed: Bool) in
            guard let socket = try? LoopbackSocket(udp: false) else { return (0, false) }
            defer { socket.close() }
            socket.shrinkBuffers()
            socket.setTimeout(.milliseconds(300))
            guard (try? socket.connect(port: UInt16(port))) != nil else { return (0, false) }
            var batch: [UInt8] = []
            for k in 0..<1000 { batch += Self.framedQuery(UInt16(k), "huge.live.test.", .txt) }
            var sent = 0
            let started = ContinuousClock.now
            // At most 64 MB or 20 s; the server stops reading long before.
            while sent < 64 << 20 && ContinuousClock.now - started < .seconds(20) {
                let n = socket.sendSome(batch)
                sent += n
                if n < batch.count { break }
            }
            return (sent, socket.waitUntilClosed(within: .seconds(5)))
        }
        // Kernel buffers on both sides plus 64 KiB of queued replies: a few MB at most.
        #expect(outcome.sent < 16 << 20, "the server kept reading: \(outcome.sent) octets accepted")
        #expect(outcome.sent > 0, "sent \(outcome.sent)")
        #expect(outcome.closed, "the connection was not closed")
        // Others are still served.
        #expect(await onOwnThread { Self.answered(from: "127.0.0.1", port: port) })
        try await live.stop()
    }
}
