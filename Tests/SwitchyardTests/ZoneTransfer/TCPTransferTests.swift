import DNSServer
import DNSWire
import Foundation
import NIOCore
import Testing
import Zones
import ZoneTransfer
#if canImport(Glibc)
import Glibc
#endif

/// Transfers through the live server's TCP path: many messages sent as a slow client
/// reads them, a query pipelined behind a transfer answered after it, a client that stops
/// reading cut off by the message deadline, and the UDP and no-transfer answers.
@Suite struct TCPTransferTests {
    static let zones = ZoneFixtures.zoneSet(ZoneTransferServiceTests.plainZone(serial: 4, names: 3000), origin: "plain.test.")
    /// About 6.5 MB of records: more than the kernel's largest send buffer (4 MiB), so a
    /// client that stops reading stalls the server's writes.
    static let bigZones: ZoneSet = {
        var text = ZoneTransferServiceTests.plainZone(serial: 4)
        for k in 0..<25_000 { text += "big\(k) IN TXT \"\(String(repeating: "b", count: 240)) \(k)\"\n" }
        return ZoneFixtures.zoneSet(text, origin: "plain.test.")
    }()

    static func service() -> ZoneTransferService { ZoneTransferService(allowed: [IPPrefix("127.0.0.1/32")!], key: nil) }

    static func framed(_ id: UInt16, _ name: DomainName, _ type: RecordType) -> [UInt8] {
        DNSTestClient.framed(Message.query(id: id, name: name, type: type))
    }

    @Test func aLargeAXFRReachesASlowReaderWholeAndAPipelinedQueryFollowsIt() async throws {
        let live = try await LiveServer(zones: Self.zones, transfers: Self.service()) { $0.tcpIdleTimeout = .seconds(3) }
        let port = live.tcpPort
        let outcome = await onOwnThread { () -> (messages: [Message], after: Message?) in
            guard let socket = try? LoopbackSocket(udp: false) else { return ([], nil) }
            defer { socket.close() }
            socket.shrinkBuffers()
            socket.setTimeout(.seconds(3))
            guard (try? socket.connect(port: UInt16(port))) != nil,
                  (try? socket.sendAll(Self.framed(1, "plain.test.", .axfr) + Self.framed(2, "www.plain.test.", .a))) != nil else { return ([], nil) }
            var messages: [Message] = []
            // Slow at first: the server must wait for room rather than buffer the whole zone.
            while let message = try? socket.readMessage() {
                if message.header.id == 2 { return (messages, message) }
                messages.append(message)
                if messages.count <= 3 { usleep(300_000) }
                if messages.count > 100 { break }
            }
            return (messages, nil)
        }
        #expect(outcome.messages.count >= 5, "3000 TXT records span several messages, got \(outcome.messages.count)")
        let records = outcome.messages.flatMap(\.answers)
        #expect(records.count == 3000 + 8)
        if case .soa(let first)? = records.first?.rdata, case .soa(let last)? = records.last?.rdata {
            #expect(first.serial == 4 && last.serial == 4)
        } else {
            Issue.record("the transfer does not start and end with the SOA")
        }
        #expect(outcome.messages.allSatisfy { $0.header.id == 1 && $0.responseCode == .noError })
        #expect(outcome.after?.answers.count == 2, "the query pipelined behind the transfer is answered after it")
        try await live.stop()
    }

    @Test func aTransferClientThatStopsReadingIsClosedByTheDeadline() async throws {
        let live = try await LiveServer(zones: Self.bigZones, transfers: Self.service()) { $0.tcpIdleTimeout = .milliseconds(600) }
        let port = live.tcpPort
        let (closed, received) = await onOwnThread { () -> (Bool, Int) in
            guard let socket = try? LoopbackSocket(udp: false) else { return (false, 0) }
            defer { socket.close() }
            socket.shrinkBuffers()
            socket.setTimeout(.milliseconds(200))
            guard (try? socket.connect(port: UInt16(port))) != nil,
                  (try? socket.sendAll(Self.framed(1, "plain.test.", .axfr))) != nil else { return (false, 0) }
            // Read nothing: once the kernel's buffers are full the server's writes stall, and a
            // deadline later it hangs up. Long enough for a busy machine to fill them.
            usleep(5_000_000)
            var received = 0
            var buffer = [UInt8](repeating: 0, count: 65536)
            let started = ContinuousClock.now
            while ContinuousClock.now - started < .seconds(5) {
                let count = buffer.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
                if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { return (true, received) }
                if count > 0 { received += count }
            }
            return (false, received)
        }
        let whole = Self.service().respond(to: ByteBuffer(bytes: Self.framed(1, "plain.test.", .axfr).dropFirst(2)),
                                           query: try Query(decoding: ByteBuffer(bytes: Self.framed(1, "plain.test.", .axfr).dropFirst(2))),
                                           source: IPAddress("127.0.0.1")!, zones: Self.bigZones, transport: .tcp)
            .allMessages().reduce(0) { $0 + $1.readableBytes }
        #expect(received < whole, "the server hung up before sending the whole transfer (\(received) of \(whole) octets)")
        #expect(closed, "a transfer nobody reads must not hold the connection open")
        // The server still answers others.
        let answer = try #require(await onOwnThread { try? DNSTestClient(host: "127.0.0.1", port: port).tcp(Message.query(id: 9, name: "www.plain.test.", type: .a)) })
        #expect(answer.answers.count == 2)
        try await live.stop()
    }

    @Test func ixfrOverUDPIsTheSingleSOAAndWithoutTransfersBothAreRefused() async throws {
        let allowed = try await LiveServer(zones: Self.zones, transfers: Self.service())
        let client = allowed.client()
        var request = Message.query(id: 3, name: "plain.test.", type: .ixfr)
        request.authority = [ResourceRecord(name: "plain.test.", ttl: 0, rdata: .soa(SOAData(
            mname: "ns1.plain.test.", rname: "hostmaster.plain.test.", serial: 1, refresh: 0, retry: 0, expire: 0, minimum: 0)))]
        let ixfr = request
        let udpReply = try #require(await onOwnThread { try? client.udp(ixfr) })
        #expect(udpReply.responseCode == .noError && udpReply.answers.count == 1)
        if case .soa(let soa)? = udpReply.answers.first?.rdata { #expect(soa.serial == 4) } else { Issue.record("no SOA") }
        let axfrOverUDP = try #require(await onOwnThread { try? client.udp(Message.query(id: 4, name: "plain.test.", type: .axfr)) })
        #expect(axfrOverUDP.responseCode == .formErr)
        try await allowed.stop()

        let closed = try await LiveServer(zones: Self.zones)
        let other = closed.client()
        let tcpPort = closed.tcpPort
        let overTCP = try #require(await onOwnThread { try? DNSTestClient(host: "127.0.0.1", port: tcpPort).tcp(Message.query(id: 5, name: "plain.test.", type: .axfr)) })
        let overUDP = try #require(await onOwnThread { try? other.udp(ixfr) })
        #expect(overTCP.responseCode == .refused && overTCP.answers.isEmpty)
        #expect(overUDP.responseCode == .refused && overUDP.answers.isEmpty)
        try await closed.stop()
    }
}
