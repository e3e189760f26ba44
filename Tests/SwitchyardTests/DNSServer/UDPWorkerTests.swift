import Authority
@testable import DNSServer
import DNSWire
import Foundation
import NIOCore
import Testing
import Zones
#if canImport(Glibc)
import Glibc
#endif

/// The UDP workers' limits: datagrams beyond one recvmmsg batch are all answered, a
/// datagram longer than the read buffer arrives cut short and is answered FORMERR (a cut
/// response is dropped), a
/// reply the kernel refuses costs only its own client, and idle workers stop promptly.
@Suite struct UDPWorkerTests {
    static func zones() -> ZoneSet { ZoneFixtures.zoneSet(LiveServerTests.zoneText, origin: "live.test.") }

    /// Sends `count` queries back to back on one socket, then collects the replies' IDs.
    static func burst(_ count: Int, port: Int) -> [UInt16] {
        guard let socket = try? LoopbackSocket(udp: true) else { return [] }
        defer { socket.close() }
        socket.setTimeout(.seconds(2))
        guard (try? socket.connect(port: UInt16(port))) != nil else { return [] }
        for id in 0..<count {
            try? socket.sendAll(Array(Message.query(id: UInt16(id), name: "www.live.test.", type: .a).encode().readableBytesView))
        }
        var ids: [UInt16] = []
        for _ in 0..<count {
            guard let reply = try? socket.receive(upTo: 4096), let message = try? Message(decoding: ByteBuffer(bytes: reply)),
                  message.answers.count == 1 else { break }
            ids.append(message.header.id)
        }
        return ids
    }

    @Test func moreDatagramsThanOneBatchAreAllAnswered() async throws {
        let live = try await LiveServer(zones: Self.zones()) { $0.udpBatchSize = 4 }
        let port = live.udpPort
        let ids = await onOwnThread { Self.burst(50, port: port) }
        try await live.stop()
        #expect(ids.sorted() == Array(0..<50), "\(ids.count) of 50 answered")
    }

    /// Holds a zone set without keeping it alive.
    final class WeakZoneSet: @unchecked Sendable {
        weak var value: ZoneSet?
        init(_ value: ZoneSet) { self.value = value }
    }

    @Test func anIdleWorkerLetsGoOfAReplacedZoneSetWithinSeconds() async throws {
        let store = ZoneStore(Self.zones())
        let live = try await LiveServer(store: store) { $0.udpSocketsPerAddress = 1 }
        let client = live.client()
        let query = Array(Message.query(id: 9, name: "www.live.test.", type: .a).encode().readableBytesView)
        // One answer, so the worker holds the first zone set; then a reload replaces it.
        #expect(await onOwnThread { try? client.udpExchange(query) } != nil)
        let old = WeakZoneSet(store.current)
        store.replace(Self.zones())
        var released = false
        for _ in 0..<60 where !released {
            try await Task.sleep(for: .milliseconds(50))
            released = old.value == nil
        }
        // No query came after the reload: only the worker's idle wake-up can have dropped it.
        #expect(released, "the worker still holds the replaced zone set after 3 s")
        try await live.stop()
    }

    @Test func aDatagramLongerThanTheReadBufferIsAFormatError() async throws {
        let live = try await LiveServer(zones: Self.zones()) { $0.udpReadLimit = 512 }
        let client = live.client()
        let long = UDPHostileTests.paddedQuery(size: 600)
        let cut = try #require(await onOwnThread { try? client.udpExchange(long) }, "no reply to a cut datagram")
        let message = try Message(decoding: ByteBuffer(bytes: cut))
        #expect(message.header.id == 0x4444)
        #expect(message.responseCode == .formErr)
        // One that fits is answered, and the worker goes on serving.
        let fits = UDPHostileTests.paddedQuery(size: 500)
        let whole = try #require(await onOwnThread { try? client.udpExchange(fits) }, "no reply to a query that fits")
        #expect(try Message(decoding: ByteBuffer(bytes: whole)).answers.count == 1)
        try await live.stop()
    }

    @Test func aCutDatagramIsAFormatErrorOnlyWhenItsHeaderIsAQuery() throws {
        let query = UDPHostileTests.paddedQuery(size: 600)
        let cut = ByteBuffer(bytes: query.prefix(512))
        guard case .failure(.reply(let id, _, let rcode)) = Authority.decode(cut, whole: false) else {
            Issue.record("a cut query is not answered FORMERR")
            return
        }
        #expect(id == 0x4444 && rcode == .formErr)
        // The same octets whole would decode; a cut response, or a cut runt, gets nothing.
        var response = Array(query.prefix(512))
        response[2] |= 0x80
        #expect(Self.isDropped(Authority.decode(ByteBuffer(bytes: response), whole: false)))
        #expect(Self.isDropped(Authority.decode(ByteBuffer(bytes: query.prefix(8)), whole: false)))
        #expect(!Self.isDropped(Authority.decode(ByteBuffer(bytes: query), whole: true)))
    }

    static func isDropped(_ decoded: Result<Query, Query.Rejection>) -> Bool {
        if case .failure(.drop) = decoded { return true }
        return false
    }

    /// Three clients' datagrams in one batch; the middle reply's destination is made one
    /// the kernel refuses (port 0: EINVAL). The other two are still sent.
    @Test func aReplyTheKernelRefusesDoesNotStopTheOthers() async throws {
        let server = try UDPSocket.bind(try SocketAddress(ipAddress: "127.0.0.1", port: 0))
        defer { close(server) }
        let port = try #require(try UDPSocket.localAddress(server).port)
        let clients = try (0..<3).map { _ in try LoopbackSocket(udp: true) }
        defer { for client in clients { client.close() } }
        for (index, client) in clients.enumerated() {
            client.setTimeout(.seconds(2))
            try client.connect(port: UInt16(port))
            try client.sendAll([UInt8(index)])
        }
        let batch = UDPBatch(count: 8, requestSize: 512, replySize: 512)
        // Loopback delivers a datagram before its send returns: all three are waiting.
        var ready = pollfd(fd: server, events: Int16(POLLIN), revents: 0)
        #expect(poll(&ready, 1, 2000) == 1)
        try #require(batch.receive(from: server) == 3, "the three datagrams are not waiting together")
        var refused: UInt8 = 0
        for slot in 0..<3 {
            let (bytes, truncated) = batch.request(slot)
            #expect(!truncated && bytes.count == 1)
            if slot == 1 {
                refused = bytes[0]
                batch.sourceAddress(slot).withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port = 0 }
            }
            #expect(bytes.withUnsafeBytes { batch.setReply(slot, $0) })
        }
        let outcome = batch.send(on: server)
        let skipped = refused
        #expect(outcome.sent == 2 && outcome.failed == 1)
        let replies: [UInt8?] = await onOwnThread {
            clients.enumerated().map { index, client in
                index == Int(skipped) ? nil : (try? client.receive(upTo: 16)).flatMap(\.first)
            }
        }
        for index in 0..<3 where index != Int(refused) {
            #expect(replies[index] == UInt8(index), "client \(index) got no reply")
        }
    }

    @Test func idleWorkersStopPromptlyAndReleaseTheirSockets() async throws {
        let live = try await LiveServer(zones: Self.zones(), listen: ["127.0.0.1", "::1"]) { $0.udpSocketsPerAddress = 3 }
        // Every worker serves both addresses.
        let v4 = live.client()
        let v6 = live.client("::1", index: 1)
        #expect(await onOwnThread { (try? v4.udp(Message.query(id: 1, name: "www.live.test.", type: .a)))?.answers.count } == 1)
        #expect(await onOwnThread { (try? v6.udp(Message.query(id: 2, name: "www.live.test.", type: .a)))?.answers.count } == 1)
        let port = live.udpPort
        let (events, signal) = AsyncStream<Void>.makeStream()
        let server = live.server
        // Signalled here, not in the task: its start may wait for a turn on a busy pool.
        let started = ContinuousClock.now
        server.signalStop()
        Task {
            await server.stop()
            signal.yield()
        }
        Task {
            try? await Task.sleep(for: .seconds(5))
            signal.finish()
        }
        var iterator = events.makeAsyncIterator()
        try #require(await iterator.next() != nil, "stop did not return within 5 s")
        // Timed on the workers' threads: woken by the stop signal, not by their 1 s idle
        // wake (the task that awaits them may wait longer for a turn on a busy pool).
        let took = try #require(server.workerExits.lastExit) - started
        #expect(took < .seconds(1), "the workers took \(took) to stop")
        // Its sockets are closed: the port can be bound again without SO_REUSEPORT.
        let again = try LoopbackSocket(udp: true)
        defer { again.close() }
        #expect(again.bind(port: UInt16(port)))
        try await live.group.shutdownGracefully()
    }
}
