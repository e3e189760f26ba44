import DNSWire
import Foundation
import NIOCore
import Testing
import Zones
#if canImport(Glibc)
import Glibc
#endif

/// The server over real UDP and TCP sockets on loopback (RFC 1035 §4.2, RFC 6891, RFC 7766).
@Suite struct LiveServerTests {
    static let zoneText = """
    $ORIGIN live.test.
    $TTL 300
    @    IN SOA ns1 hostmaster 1 7200 900 1209600 60
    @    IN NS  ns1
    ns1  IN A   127.0.0.1
    www  IN A   192.0.2.1
    big  IN TXT "\(String(repeating: "a", count: 200))"
    big  IN TXT "\(String(repeating: "b", count: 200))"
    big  IN TXT "\(String(repeating: "c", count: 200))"
    huge IN TXT "\(String(repeating: "d", count: 250))" "\(String(repeating: "e", count: 250))" "\(String(repeating: "f", count: 250))"
    huge IN TXT "\(String(repeating: "g", count: 250))" "\(String(repeating: "h", count: 250))" "\(String(repeating: "i", count: 250))"
    """

    static func zones() -> ZoneSet { ZoneFixtures.zoneSet(zoneText, origin: "live.test.") }

    @Test func answersOverUDPAndTCP() async throws {
        let live = try await LiveServer(zones: Self.zones())
        let client = live.client()
        let query = Message.query(id: 7, name: "www.live.test.", type: .a)
        for reply in [try client.udp(query), try client.tcp(query)] {
            #expect(reply.header.id == 7)
            #expect(reply.header.isResponse && reply.header.isAuthoritative)
            #expect(reply.answers.map(\.description) == ["www.live.test.\t300\tIN\tA\t192.0.2.1"])
        }
        try await live.stop()
    }

    @Test func answersOnIPv6Loopback() async throws {
        let live = try await LiveServer(zones: Self.zones(), listen: ["::1"])
        let reply = try live.client("::1").udp(Message.query(id: 9, name: "www.live.test.", type: .a))
        #expect(reply.answers.count == 1)
        try await live.stop()
    }

    @Test func truncatesOverUDPAndAnswersWholeOverTCP() async throws {
        let live = try await LiveServer(zones: Self.zones())
        let client = live.client()
        // Without EDNS the limit is 512 octets: the ~630-octet TXT set does not fit.
        let plain = try client.udp(Message.query(id: 1, name: "big.live.test.", type: .txt))
        #expect(plain.header.isTruncated)
        #expect(plain.answers.isEmpty)
        // With EDNS it fits.
        let edns = try client.udp(Message.query(id: 2, name: "big.live.test.", type: .txt, edns: EDNS(udpPayloadSize: 1232)))
        #expect(!edns.header.isTruncated)
        #expect(edns.answers.count == 3)
        // ~1.5 KB never goes over UDP, even when the client offers 4096 (SPEC §5: at most 1232).
        let huge = try client.udpExchange(Array(Message.query(id: 3, name: "huge.live.test.", type: .txt, edns: EDNS(udpPayloadSize: 4096)).encode().readableBytesView))!
        #expect(huge.count <= 1232)
        #expect(try Message(decoding: ByteBuffer(bytes: huge)).header.isTruncated)
        let whole = try client.tcp(Message.query(id: 4, name: "huge.live.test.", type: .txt))
        #expect(!whole.header.isTruncated)
        #expect(whole.answers.count == 2)
        try await live.stop()
    }

    @Test func answersPipelinedTCPQueriesInOrder() async throws {
        let live = try await LiveServer(zones: Self.zones())
        let socket = try live.client().connectTCP()
        defer { socket.close() }
        let names: [DomainName] = ["www.live.test.", "nx.live.test.", "live.test."]
        var bytes: [UInt8] = []
        for (i, name) in names.enumerated() {
            bytes += DNSTestClient.framed(Message.query(id: UInt16(100 + i), name: name, type: .a))
        }
        try socket.sendAll(bytes)
        var replies: [Message] = []
        for _ in names { if let reply = try socket.readMessage() { replies.append(reply) } }
        #expect(replies.map(\.header.id) == [100, 101, 102])
        #expect(replies.map(\.responseCode) == [.noError, .nxDomain, .noError])
        try await live.stop()
    }

    @Test func echoesClientSubnetWithScopeZeroForPlainNames() async throws {
        let live = try await LiveServer(zones: Self.zones())
        let subnet = ClientSubnet(address: IPAddress("198.51.100.0")!, sourcePrefixLength: 24)
        let reply = try live.client().udp(Message.query(id: 5, name: "www.live.test.", type: .a,
                                                        edns: EDNS(options: [EDNSOption(clientSubnet: subnet)])))
        let echoed = try reply.edns?.clientSubnet()
        #expect(echoed?.address == subnet.address)
        #expect(echoed?.sourcePrefixLength == 24)
        #expect(echoed?.scopePrefixLength == 0)
        try await live.stop()
    }

    @Test func rejectsWhatItCannotAnswerAndKeepsServing() async throws {
        let live = try await LiveServer(zones: Self.zones())
        let client = live.client()
        // EDNS version 1: BADVERS (RFC 6891 §6.1.3), rcode 16 split across header and OPT.
        let badvers = try client.udp(Message.query(id: 11, name: "www.live.test.", type: .a, edns: EDNS(version: 1)))
        #expect(badvers.responseCode == .badVers)
        // An unknown opcode: NOTIMP.
        // An unknown opcode: NOTIMP, echoing the question and, for an EDNS query, an OPT
        // record (RFC 6891 §7).
        var notify = Message.query(id: 12, name: "www.live.test.", type: .a, edns: EDNS())
        notify.header.opcode = Opcode(rawValue: 3)
        let notImp = try client.udp(notify)
        #expect(notImp.responseCode == .notImp)
        #expect(notImp.questions.first?.name == "www.live.test.")
        #expect(notImp.edns != nil)
        // Two questions: FORMERR.
        var two = Message.query(id: 13, name: "www.live.test.", type: .a)
        two.questions.append(Question(name: "live.test.", type: .soa))
        #expect(try client.udp(two).responseCode == .formErr)
        // A response (QR=1) and a runt get no reply at all.
        var response = Message.query(id: 14, name: "www.live.test.", type: .a)
        response.header.isResponse = true
        #expect(try DNSTestClient(host: "127.0.0.1", port: live.udpPort, timeoutMilliseconds: 300).udpExchange(Array(response.encode().readableBytesView)) == nil)
        #expect(try DNSTestClient(host: "127.0.0.1", port: live.udpPort, timeoutMilliseconds: 300).udpExchange([1, 2, 3]) == nil)
        // A compression loop in the question: FORMERR, never a crash.
        let loop: [UInt8] = [0, 15, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
        let loopReply = try client.udpExchange(loop)
        #expect(loopReply.map { $0[3] & 0x0F } == 1)
        // Random garbage of every length from 12 to 63 octets, sent without waiting for
        // replies; then the server still answers.
        var random = SystemRandomNumberGenerator()
        let garbageSocket = try LoopbackSocket(udp: true)
        try garbageSocket.connect(port: UInt16(live.udpPort))
        for length in 12..<64 {
            try garbageSocket.sendAll((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        garbageSocket.close()
        #expect(try client.udp(Message.query(id: 15, name: "www.live.test.", type: .a)).answers.count == 1)
        try await live.stop()
    }

    @Test func closesIdleTCPConnections() async throws {
        let live = try await LiveServer(zones: Self.zones()) { $0.tcpIdleTimeout = .milliseconds(300) }
        let socket = try DNSTestClient(host: "127.0.0.1", port: live.tcpPort, timeoutMilliseconds: 5000).connectTCP()
        defer { socket.close() }
        let started = ContinuousClock.now
        // The server closes the idle connection: the read sees EOF well before our 5 s timeout.
        #expect(try socket.isClosedByPeer())
        #expect(ContinuousClock.now - started < .seconds(4))
        try await live.stop()
    }

    @Test func refusesConnectionsBeyondTheLimit() async throws {
        let live = try await LiveServer(zones: Self.zones()) { $0.maxTCPConnections = 2 }
        let client = DNSTestClient(host: "127.0.0.1", port: live.tcpPort, timeoutMilliseconds: 2000)
        let first = try client.connectTCP(), second = try client.connectTCP()
        defer { first.close(); second.close() }
        // Both admitted connections are served.
        try first.sendAll(DNSTestClient.framed(Message.query(id: 1, name: "www.live.test.", type: .a)))
        #expect(try first.readMessage()?.answers.count == 1)
        let third = try client.connectTCP()
        defer { third.close() }
        try? third.sendAll(DNSTestClient.framed(Message.query(id: 2, name: "www.live.test.", type: .a)))
        #expect((try? third.readMessage()) ?? nil == nil)
        try await live.stop()
    }
}
