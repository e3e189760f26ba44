import DNSServer
import DNSWire
import Foundation
import NIOCore
import Testing
import Zones
#if canImport(Glibc)
import Glibc
#endif

/// UDP under SPEC §5: queries read whole up to the largest datagram, and response rate
/// limiting per client network with slip.
@Suite struct UDPHostileTests {
    static func zones() -> ZoneSet { ZoneFixtures.zoneSet(LiveServerTests.zoneText, origin: "live.test.") }

    /// A query for www.live.test. A whose OPT carries a padding option (RFC 7830) making
    /// the whole datagram `size` octets.
    static func paddedQuery(size: Int) -> [UInt8] {
        var message = Message.query(id: 0x4444, name: "www.live.test.", type: .a, edns: EDNS(udpPayloadSize: 1232))
        let plain = Array(message.encode().readableBytesView).count
        message.edns?.options = [EDNSOption(code: 12, data: [UInt8](repeating: 0, count: size - plain - 4))]
        return Array(message.encode().readableBytesView)
    }

    @Test(arguments: [5_000, 30_000, 65_000])
    func aLargeQueryIsReadWhole(size: Int) async throws {
        let live = try await LiveServer(zones: Self.zones())
        let bytes = Self.paddedQuery(size: size)
        #expect(bytes.count == size)
        let client = live.client()
        let reply = try #require(await onOwnThread { try? client.udpExchange(bytes) }, "no reply to a \(size)-octet query")
        let message = try Message(decoding: ByteBuffer(bytes: reply))
        // Cut at 4,096 octets, it used to be answered FORMERR.
        #expect(message.responseCode == .noError)
        #expect(message.answers.count == 1)
        try await live.stop()
    }

    /// Sends `count` queries from `source` as fast as it can and sorts the replies that come
    /// back within 300 ms of the last: answered in full, truncated (slipped), or none.
    static func burst(_ count: Int, from source: String, port: Int) -> (full: Int, truncated: Int, missing: Int) {
        guard let socket = try? LoopbackSocket(udp: true, from: source) else { return (0, 0, count) }
        defer { socket.close() }
        socket.setTimeout(.milliseconds(300))
        guard (try? socket.connect(port: UInt16(port))) != nil else { return (0, 0, count) }
        for id in 0..<count {
            _ = socket.sendSome(Array(Message.query(id: UInt16(id), name: "www.live.test.", type: .a).encode().readableBytesView))
        }
        var full = 0, truncated = 0
        for _ in 0..<count {
            guard let reply = try? socket.receive(upTo: 4096), let message = try? Message(decoding: ByteBuffer(bytes: reply)) else { break }
            if message.header.isTruncated {
                #expect(message.answers.isEmpty && message.questions.first?.name == "www.live.test.")
                truncated += 1
            } else if message.answers.count == 1 {
                full += 1
            }
        }
        return (full, truncated, count - full - truncated)
    }

    @Test func rateLimitingDropsAndSlipsPerNetwork() async throws {
        let limiter = ResponseRateLimiter(responsesPerSecond: 5, slip: 2)
        let live = try await LiveServer(zones: Self.zones(), rateLimiter: limiter)
        let port = live.udpPort
        let flood = await onOwnThread { Self.burst(60, from: "127.0.0.1", port: port) }
        // 5 a second (a burst may straddle two seconds), then every second one slips.
        #expect(flood.full >= 5 && flood.full <= 10, "\(flood)")
        #expect(flood.truncated >= 20, "\(flood)")
        #expect(flood.missing >= 20, "\(flood)")
        // Another /24 has its own budget.
        let other = await onOwnThread { Self.burst(3, from: "127.0.1.1", port: port) }
        #expect(other.full == 3)
        // TCP is not rate limited.
        let tcpPort = live.tcpPort
        #expect(await onOwnThread { TCPLimitTests.answered(from: "127.0.0.1", port: tcpPort) })
        try await live.stop()
    }

    @Test func rateLimiterCountsPerSecondAndSlips() {
        let limiter = ResponseRateLimiter(responsesPerSecond: 3, slip: 3, key: 42)
        let client = IPAddress("198.51.100.7")!
        let decisions = (0..<9).map { _ in limiter.decide(client, second: 100) }
        #expect(decisions == [.answer, .answer, .answer, .drop, .drop, .slip, .drop, .drop, .slip])
        // A new second starts a new budget; another address of the same /24 shares it.
        #expect(limiter.decide(IPAddress("198.51.100.200")!, second: 101) == .answer)
        #expect((0..<2).map { _ in limiter.decide(client, second: 101) } == [.answer, .answer])
        #expect(limiter.decide(client, second: 101) == .drop)
        // IPv6 clients are grouped by /56.
        let v6 = ResponseRateLimiter(responsesPerSecond: 1, slip: 0, key: 7)
        #expect(v6.decide(IPAddress("2001:db8:0:ff::1")!, second: 5) == .answer)
        #expect(v6.decide(IPAddress("2001:db8:0:12::1")!, second: 5) == .drop)
    }
}
