import DNSWire
import NIOCore
import Routing
import Testing
@testable import Zones

/// The warm-up a UDP worker walks over a batch before answering it: it must find what the
/// answer will read (the question's zone and node) and, being only hints, stop quietly on
/// anything else — another zone's name, a name that does not exist, a malformed or hostile
/// datagram — without reading past the message.
@Suite struct LookupWarmupTests {
    static let zoneText = """
        $ORIGIN example.test.
        $TTL 300
        @ IN SOA ns1 hostmaster 1 3600 600 86400 60
        @ NS ns1
        ns1 A 192.0.2.53
        www A 192.0.2.1
        Mixed.Case AAAA 2001:db8::1
        api [weighted id=a weight=1] A 192.0.2.10
        api [weighted id=b weight=1] A 192.0.2.11

        """

    static func zones() throws -> ZoneSet {
        let other = try #require(ZoneFixtures.zone("""
            $ORIGIN other.test.
            @ 300 IN SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 60
            @ 300 NS ns1.example.test.
            host 300 A 198.51.100.1

            """, origin: "other.test."))
        return ZoneSet(zones: [try #require(ZoneFixtures.zone(zoneText, origin: "example.test.")), other])
    }

    /// Runs every stage over `message`, as the worker does over a batch.
    static func warm(_ zones: ZoneSet, _ message: [UInt8], into warmup: LookupWarmup = LookupWarmup()) -> LookupWarmup {
        var warmups = [warmup]
        message.withUnsafeBytes { bytes in
            warmups.withUnsafeMutableBufferPointer { zones.warm($0, count: 1) { _ in bytes } }
        }
        return warmups[0]
    }

    static func query(_ name: String, _ type: RecordType) throws -> [UInt8] {
        let buffer = Message.query(id: 9, name: try DomainName(name, origin: .root), type: type).encode()
        return Array(buffer.readableBytesView)
    }

    @Test(arguments: [("www.example.test.", RecordType.a, 0), ("WWW.EXAMPLE.test.", .a, 0), ("mixed.case.example.test.", .aaaa, 0),
                      ("api.example.test.", .a, 0), ("host.other.test.", .a, 1), ("example.test.", .soa, 0)])
    func findsTheZoneAndTheNodeTheAnswerReads(name: String, type: RecordType, zone: Int) throws {
        let zones = try Self.zones()
        let warmup = Self.warm(zones, try Self.query(name, type))
        #expect(warmup.zone == Int32(zone))
        let node = try #require(zones.zones[zone].trie.find(try DomainName(name, origin: .root)))
        #expect(warmup.node == node)
        #expect(warmup.type == type.rawValue)
        // A routed name's group is what stage 5 reads; a plain name has none.
        let group = zones.zones[zone].trie.node(node).group(answering: type)
        #expect(warmup.group?.toOpaque() == group.map { Unmanaged.passUnretained($0).toOpaque() })
        #expect((group != nil) == name.hasPrefix("api."))
    }

    @Test func aNameInNoZoneOrNotInItsZoneStopsTheWalk() throws {
        let zones = try Self.zones()
        let outside = Self.warm(zones, try Self.query("www.example.org.", .a))
        #expect(outside.zone == -1 && outside.node == -1)
        let missing = Self.warm(zones, try Self.query("nowhere.example.test.", .a))
        #expect(missing.zone == 0)
        #expect(missing.node == -1)
    }

    @Test func malformedQuestionsStopBeforeTheirEnd() throws {
        let zones = try Self.zones()
        let good = try Self.query("www.example.test.", .a)
        var cases: [[UInt8]] = []
        // Cut anywhere from inside the header to inside the type.
        for length in [0, 5, 12, 13, 16, good.count - 4, good.count - 3] { cases.append(Array(good.prefix(length))) }
        // Two questions, and none.
        var two = good; two[5] = 2; cases.append(two)
        var none = good; none[5] = 0; cases.append(none)
        // A compression pointer, and a label claiming more than the datagram holds.
        var pointer = good; pointer[12] = 0xC0; cases.append(pointer)
        var long = good; long[12] = 63; cases.append(long)
        // A name of more than 255 octets: sixty labels of five.
        var huge = Array(good.prefix(12))
        for _ in 0..<60 { huge += [4, 0x61, 0x62, 0x63, 0x64] }
        huge += [0, 0, 1, 0, 1]
        cases.append(huge)
        for message in cases {
            let warmup = Self.warm(zones, message)
            #expect(warmup.zone == -1, "message of \(message.count) octets")
            #expect(warmup.node == -1)
        }
    }

    /// A batch: each warm-up ends where its own datagram leads, and a count larger than
    /// the warm-ups is cut to them.
    @Test func aBatchWalksEachDatagramToItsOwnNode() throws {
        let zones = try Self.zones()
        let messages = [try Self.query("api.example.test.", .a), try Self.query("nowhere.example.test.", .a),
                        try Self.query("host.other.test.", .a)]
        var warmups = [LookupWarmup](repeating: LookupWarmup(), count: 3)
        // The datagrams back to back, as a batch holds them.
        let joined = messages.flatMap { $0 }
        let starts = messages.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        joined.withUnsafeBytes { bytes in
            warmups.withUnsafeMutableBufferPointer { buffer in
                zones.warm(buffer, count: 9) { UnsafeRawBufferPointer(rebasing: bytes[starts[$0]..<starts[$0 + 1]]) }
            }
        }
        #expect(warmups.map(\.zone) == [0, 0, 1])
        #expect(warmups[0].node == zones.zones[0].trie.find(try DomainName("api.example.test.", origin: .root)))
        #expect(warmups[0].group != nil)
        #expect(warmups[1].node == -1 && warmups[1].group == nil)
        #expect(warmups[2].node == zones.zones[1].trie.find(try DomainName("host.other.test.", origin: .root)))
    }

    @Test func randomDatagramsNeverTrapAndAWalkStartsAfresh() throws {
        let zones = try Self.zones()
        var random = SplitMix64(seed: 12)
        let good = try Self.query("www.example.test.", .a)
        var warmup = LookupWarmup()
        var found = 0
        for round in 0..<2_000 {
            // Half of them a valid query with a few octets flipped, half pure noise.
            var message = round % 2 == 0 ? good : (0..<Int.random(in: 0..<80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if round % 2 == 0 {
                for _ in 0..<3 { message[Int.random(in: 0..<message.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            }
            warmup = Self.warm(zones, message, into: warmup)
            if warmup.node >= 0 { found += 1 }
            #expect(warmup.zone < Int32(zones.zones.count))
            // Nothing of the previous round's walk survives a walk that stopped early.
            #expect(warmup.zone >= 0 || (warmup.node == -1 && warmup.group == nil))
        }
        // Some flips land outside the question (the id, the flags), so those still find www.
        #expect(found > 0)
    }
}
