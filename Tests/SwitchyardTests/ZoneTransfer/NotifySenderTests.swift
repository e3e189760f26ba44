import DNSWire
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import Zones
import ZoneTransfer
#if canImport(Glibc)
import Glibc
#endif

/// NOTIFY (RFC 1996) to a stand-in secondary on loopback: the message's form, its
/// signature, resending until an answer comes, and giving up after the last try.
@Suite struct NotifySenderTests {
    static let zone = ZoneFixtures.zoneSet(ZoneTransferServiceTests.plainZone(serial: 42), origin: "plain.test.").zones[0]

    /// Receives NOTIFYs on `socket` for up to `limit`, or until `stop` is set and the
    /// socket is quiet; answers the `answerOn`-th (from 1), if any.
    static func secondary(_ socket: LoopbackSocket, answerOn: Int?, stop: NIOLockedValueBox<Bool>? = nil, limit: Duration) -> [[UInt8]] {
        var received: [[UInt8]] = []
        let started = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now - started < limit {
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = buffer.withUnsafeMutableBytes { bytes in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(socket.fd, bytes.baseAddress, bytes.count, 0, $0, &length) }
                }
            }
            guard count > 0 else {
                if stop?.withLockedValue({ $0 }) == true { break }
                continue
            }
            let message = Array(buffer[0..<count])
            received.append(message)
            if received.count == answerOn {
                // The header echoed with QR set: what a secondary answers.
                var reply = Array(message[0..<12])
                reply[2] |= 0x80
                reply[5] = 0; reply[7] = 0; reply[9] = 0; reply[11] = 0
                _ = reply.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &from) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(socket.fd, bytes.baseAddress, bytes.count, 0, $0, length) }
                    }
                }
                break
            }
        }
        return received
    }

    @Test func aNotifyIsSentAgainUntilTheSecondaryAnswers() async throws {
        let socket = try LoopbackSocket(udp: true)
        defer { socket.close() }
        #expect(socket.bind(port: 0))
        socket.setTimeout(.milliseconds(50))
        let port = try #require(socket.localPort)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let sender = NotifySender(targets: [try SocketAddress(ipAddress: "127.0.0.1", port: Int(port))], key: nil, group: group,
                                  logger: Logger(label: "test"), timeouts: [.milliseconds(300), .seconds(60)])
        // The second try waits long enough for a secondary on a busy machine to answer it.
        async let received = onOwnThread { Self.secondary(socket, answerOn: 2, limit: .seconds(60)) }
        let answered = await sender.send(Self.zone, to: sender.targets[0])
        let messages = await received
        #expect(answered)
        #expect(messages.count == 2, "the first try went unanswered, the second was answered")
        #expect(Set(messages).count == 1, "a retry is the same message")
        let notify = try Message(decoding: ByteBuffer(bytes: try #require(messages.first)))
        #expect((notify.header.flags >> 11) & 0xF == 4 && notify.header.isAuthoritative && !notify.header.isResponse)
        #expect(notify.questions == [Question(name: "plain.test.", type: .soa)])
        if case .soa(let soa)? = notify.answers.first?.rdata { #expect(soa.serial == 42) } else { Issue.record("no SOA hint") }
        try await group.shutdownGracefully()
    }

    @Test func anUnansweredNotifyGivesUpAfterItsTries() async throws {
        let socket = try LoopbackSocket(udp: true)
        defer { socket.close() }
        #expect(socket.bind(port: 0))
        socket.setTimeout(.milliseconds(50))
        let port = try #require(socket.localPort)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let key = TSIGKey(name: "xfr-key.", secret: Array(0..<32))
        let sender = NotifySender(targets: [try SocketAddress(ipAddress: "127.0.0.1", port: Int(port))], key: key, group: group,
                                  logger: Logger(label: "test"), timeouts: [.milliseconds(100), .milliseconds(100), .milliseconds(100)])
        let stop = NIOLockedValueBox(false)
        async let received = onOwnThread { Self.secondary(socket, answerOn: nil, stop: stop, limit: .seconds(60)) }
        let started = ContinuousClock.now
        let answered = await sender.send(Self.zone, to: sender.targets[0])
        let took = ContinuousClock.now - started
        // The sender has given up: whatever it sent is in the socket by now.
        stop.withLockedValue { $0 = true }
        let messages = await received
        #expect(!answered)
        // The default tries (1, 2, 4, 8, 16 s) would take 31 s; a busy test run can stretch 300 ms a lot.
        #expect(took < .seconds(30), "three tries of 100 ms took \(took)")
        #expect(messages.count == 3)
        // Signed with the key: the secondary can check it as a request.
        if case .valid = TSIG.verify(try #require(messages.first), key: key, now: TSIG.now()) {} else {
            Issue.record("the NOTIFY is not validly signed")
        }
        try await group.shutdownGracefully()
    }
}
