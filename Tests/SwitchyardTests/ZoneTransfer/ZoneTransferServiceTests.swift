import Foundation
import DNSWire
import NIOCore
import Testing
import Zones
import ZoneTransfer

/// What the transfer code sends for AXFR and IXFR requests, in memory: message packing,
/// the IXFR forms of RFC 1995, who is refused, and the history's bounds.
@Suite struct ZoneTransferServiceTests {
    /// A plain zone; the interop tests give Knot a loopback name server and an hour's
    /// retry, so that only NOTIFY can explain a prompt transfer.
    static func plainZone(serial: Int, extra: String = "", names: Int = 0, retry: Int = 600, nameServer: String = "192.0.2.1") -> String {
        var text = """
            $ORIGIN plain.test.
            $TTL 300
            @ IN SOA ns1 hostmaster \(serial) 3600 \(retry) 86400 60
            @ IN NS ns1
            ns1 IN A \(nameServer)
            www IN A 192.0.2.10
            www IN A 192.0.2.11
            mail IN MX 10 mx
            mx IN A 192.0.2.20

            """
        for k in 0..<names { text += "host\(k) IN TXT \"\(String(repeating: "x", count: 100)) \(k)\"\n" }
        return text + extra
    }

    static let routedZone = """
        $ORIGIN routed.test.
        $TTL 60
        @ IN SOA ns1 hostmaster 1 3600 600 86400 60
        @ IN NS ns1
        ns1 IN A 192.0.2.1
        www [weighted id=a weight=1] IN A 192.0.2.50
        www [weighted id=b weight=1] IN A 192.0.2.51

        """

    static let client = IPAddress("127.0.0.1")!

    static func service(key: TSIGKey? = nil, history: TransferHistory = TransferHistory()) -> ZoneTransferService {
        ZoneTransferService(allowed: [IPPrefix("127.0.0.0/8")!], key: key, history: history)
    }

    /// An AXFR or IXFR request (IXFR with the client's SOA serial in authority).
    static func request(_ name: DomainName, _ type: RecordType, serial: UInt32? = nil, id: UInt16 = 7) -> ByteBuffer {
        var message = Message.query(id: id, name: name, type: type)
        if let serial {
            message.authority = [ResourceRecord(name: name, ttl: 0, rdata: .soa(SOAData(
                mname: "ns1.plain.test.", rname: "hostmaster.plain.test.", serial: serial, refresh: 0, retry: 0, expire: 0, minimum: 0)))]
        }
        return message.encode()
    }

    static func respond(_ service: ZoneTransferService, _ zones: ZoneSet, _ name: DomainName, _ type: RecordType, serial: UInt32? = nil,
                        source: IPAddress = client, transport: ZoneTransferService.Transport = .tcp) -> [Message] {
        let bytes = request(name, type, serial: serial)
        let query = try! Query(decoding: bytes)
        let stream = service.respond(to: bytes, query: query, source: source, zones: zones, transport: transport)
        return stream.allMessages().map { message in
            var body = message
            if transport == .tcp {
                let length = body.readInteger(as: UInt16.self)!
                #expect(Int(length) == body.readableBytes, "the length prefix matches")
            }
            return try! Message(decoding: body)
        }
    }

    static func lines(_ messages: [Message]) -> [String] {
        messages.flatMap(\.answers).map { "\($0.name) \($0.ttl) \($0.rdata.type) \($0.rdata.presentation)" }
    }

    @Test func axfrIsTheSOAEveryRecordAndTheSOAAgain() {
        let zones = ZoneFixtures.zoneSet(Self.plainZone(serial: 5), origin: "plain.test.")
        let messages = Self.respond(Self.service(), zones, "plain.test.", .axfr)
        let records = Self.lines(messages)
        #expect(messages.count == 1)
        #expect(messages[0].header.isAuthoritative && messages[0].responseCode == .noError)
        #expect(records.first == records.last && records.first?.contains(" SOA ns1.plain.test. hostmaster.plain.test. 5 ") == true)
        #expect(Set(records.dropFirst().dropLast()) == [
            "plain.test. 300 NS ns1.plain.test.", "ns1.plain.test. 300 A 192.0.2.1", "www.plain.test. 300 A 192.0.2.10",
            "www.plain.test. 300 A 192.0.2.11", "mail.plain.test. 300 MX 10 mx.plain.test.", "mx.plain.test. 300 A 192.0.2.20",
        ])
        #expect(records.count == 8)
    }

    @Test func aZoneBiggerThanOneMessageSpansSeveralEachUnder64KiB() {
        let zones = ZoneFixtures.zoneSet(Self.plainZone(serial: 1, names: 2000), origin: "plain.test.")
        let bytes = Self.request("plain.test.", .axfr)
        let stream = Self.service().respond(to: bytes, query: try! Query(decoding: bytes), source: Self.client, zones: zones, transport: .tcp)
        let raw = stream.allMessages()
        #expect(raw.count >= 4, "2000 TXT records of ~120 octets need several 64 KiB messages, got \(raw.count)")
        for message in raw { #expect(message.readableBytes - 2 <= 65535) }
        let messages = raw.map { var b = $0; b.moveReaderIndex(forwardBy: 2); return try! Message(decoding: b) }
        #expect(messages[0].questions.count == 1)
        #expect(messages.dropFirst().allSatisfy { $0.questions.isEmpty }, "the question is in the first message only")
        let records = Self.lines(messages)
        #expect(records.count == 2000 + 8)
        #expect(Set(records).count == 2000 + 7, "every record once, the SOA twice")
    }

    @Test func ixfrFromAKeptSerialIsTheDifferenceInRFC1995Form() {
        let history = TransferHistory()
        let service = Self.service(history: history)
        let v1 = ZoneFixtures.zoneSet(Self.plainZone(serial: 1), origin: "plain.test.")
        history.publish(v1)
        let v2 = ZoneFixtures.zoneSet(Self.plainZone(serial: 2, extra: "new IN AAAA 2001:db8::1\n")
            .replacingOccurrences(of: "192.0.2.11", with: "192.0.2.12"), origin: "plain.test.")
        let changed = history.publish(v2)
        #expect(changed.map(\.serial) == [2])
        let records = Self.lines(Self.respond(service, v2, "plain.test.", .ixfr, serial: 1))
        let soa = { (serial: Int) in "plain.test. 300 SOA ns1.plain.test. hostmaster.plain.test. \(serial) 3600 600 86400 60" }
        #expect(records == [
            soa(2),
            soa(1), "www.plain.test. 300 A 192.0.2.11",
            soa(2), "www.plain.test. 300 A 192.0.2.12", "new.plain.test. 300 AAAA 2001:db8::1",
            soa(2),
        ])
    }

    @Test func ixfrChainsSeveralStepsAndFallsBackToAXFRForAnUnknownSerial() {
        let history = TransferHistory()
        let service = Self.service(history: history)
        var current = ZoneSet.empty
        for serial in 1...3 {
            current = ZoneFixtures.zoneSet(Self.plainZone(serial: serial, extra: "step\(serial) IN A 192.0.2.\(100 + serial)\n"), origin: "plain.test.")
            history.publish(current)
        }
        let chained = Self.lines(Self.respond(service, current, "plain.test.", .ixfr, serial: 1))
        #expect(chained.filter { $0.contains(" SOA ") }.map { $0.split(separator: " ")[5] } == ["3", "1", "2", "2", "3", "3"])
        #expect(chained.contains("step1.plain.test. 300 A 192.0.2.101") && chained.contains("step3.plain.test. 300 A 192.0.2.103"))
        let unknown = Self.lines(Self.respond(service, current, "plain.test.", .ixfr, serial: 0))
        let axfr = Self.lines(Self.respond(service, current, "plain.test.", .axfr))
        #expect(!axfr.isEmpty && unknown == axfr, "an unknown serial gets the AXFR form")
    }

    @Test func aCurrentClientOrIXFROverUDPGetsTheSingleSOA() {
        let zones = ZoneFixtures.zoneSet(Self.plainZone(serial: 9), origin: "plain.test.")
        let service = Self.service()
        service.history.publish(zones)
        for (serial, transport) in [(UInt32(9), ZoneTransferService.Transport.tcp), (10, .tcp), (3, .udp)] {
            let messages = Self.respond(service, zones, "plain.test.", .ixfr, serial: serial, transport: transport)
            #expect(messages.count == 1)
            #expect(Self.lines(messages) == ["plain.test. 300 SOA ns1.plain.test. hostmaster.plain.test. 9 3600 600 86400 60"],
                    "serial \(serial) over \(transport)")
        }
    }

    @Test func refusedOutsideTheACLForARoutedZoneOrNotAZoneApexAndFORMERRForAXFROverUDP() {
        let zones = ZoneFixtures.zoneSet([("plain.test.", Self.plainZone(serial: 1)), ("routed.test.", Self.routedZone)])
        let service = Self.service()
        let cases: [(DomainName, RecordType, IPAddress, ZoneTransferService.Transport, ResponseCode)] = [
            ("plain.test.", .axfr, IPAddress("192.0.2.7")!, .tcp, .refused),
            ("routed.test.", .axfr, Self.client, .tcp, .refused),
            ("routed.test.", .ixfr, Self.client, .tcp, .refused),
            ("www.plain.test.", .axfr, Self.client, .tcp, .refused),
            ("example.org.", .axfr, Self.client, .tcp, .refused),
            ("plain.test.", .axfr, Self.client, .udp, .formErr),
            ("plain.test.", .axfr, Self.client, .tcp, .noError),
        ]
        for (name, type, source, transport, rcode) in cases {
            let messages = Self.respond(service, zones, name, type, serial: type == .ixfr ? 1 : nil, source: source, transport: transport)
            #expect(messages.count == 1)
            #expect(messages.first?.responseCode == rcode, "\(name) \(type) from \(source) over \(transport)")
            if rcode != .noError { #expect(messages.first?.answers.isEmpty == true) }
        }
        #expect(ZoneTransferService.isPlain(zones.zones.first { $0.origin == "plain.test." }!))
        #expect(!ZoneTransferService.isPlain(zones.zones.first { $0.origin == "routed.test." }!))
    }

    @Test func withAKeyAnUnsignedRequestIsRefused() {
        let zones = ZoneFixtures.zoneSet(Self.plainZone(serial: 1), origin: "plain.test.")
        let service = Self.service(key: TSIGKey(name: "k.", secret: Array(0..<32)))
        #expect(Self.respond(service, zones, "plain.test.", .axfr).first?.responseCode == .refused)
    }

    @Test func theHistoryKeepsTheLastChangesWithinItsBounds() {
        let history = TransferHistory(maximumChanges: 4)
        for serial in 1...10 {
            history.publish(ZoneFixtures.zoneSet(Self.plainZone(serial: serial, extra: "s IN A 192.0.2.\(serial)\n"), origin: "plain.test."))
        }
        #expect(history.changeCount(of: "plain.test.") == 4)
        let current = ZoneFixtures.zoneSet(Self.plainZone(serial: 10, extra: "s IN A 192.0.2.10\n"), origin: "plain.test.").zones[0]
        // The history names its latest version by serial; the same serial reloaded is no change.
        history.publish(ZoneSet(zones: [current]))
        #expect(history.deltas(of: current, from: 6)?.count == 4)
        #expect(history.deltas(of: current, from: 5) == nil, "older than the kept changes")

        let small = TransferHistory(maximumChanges: 16, maximumBytes: 2000)
        for serial in 1...6 {
            small.publish(ZoneFixtures.zoneSet(Self.plainZone(serial: serial, extra: "s IN TXT \"\(String(repeating: "y", count: 200)) \(serial)\"\n"),
                                               origin: "plain.test."))
        }
        #expect(small.changeCount(of: "plain.test.") >= 1)
        #expect(small.changeCount(of: "plain.test.") < 5)
        #expect(small.byteCount(of: "plain.test.") <= 2000)
    }

    @Test func aRoutedZoneHasNoHistoryAndIsNotNotified() {
        let history = TransferHistory()
        let changed = history.publish(ZoneFixtures.zoneSet([("plain.test.", Self.plainZone(serial: 1)), ("routed.test.", Self.routedZone)]))
        #expect(changed.map(\.origin) == ["plain.test."])
        let again = history.publish(ZoneFixtures.zoneSet([("plain.test.", Self.plainZone(serial: 1)), ("routed.test.", Self.routedZone)]))
        #expect(again.isEmpty, "an unchanged serial is not a change")
    }

    @Test func aZoneSignedOnlineIsRefusedHasNoHistoryAndIsNotNotified() {
        let zones = ZoneFixtures.zoneSet([("plain.test.", Self.plainZone(serial: 1)), ("signed.test.", Self.plainZone(serial: 1).replacingOccurrences(of: "plain.test.", with: "signed.test."))])
        let service = ZoneTransferService(allowed: [IPPrefix("127.0.0.0/8")!], key: nil, signedOnline: ["signed.test."])
        #expect(service.publish(zones).map(\.origin) == ["plain.test."])
        #expect(Self.respond(service, zones, "signed.test.", .axfr).first?.responseCode == .refused)
        #expect(Self.respond(service, zones, "signed.test.", .ixfr, serial: 1).first?.responseCode == .refused)
        #expect(Self.respond(service, zones, "plain.test.", .axfr).first?.responseCode == .noError)
    }
}
