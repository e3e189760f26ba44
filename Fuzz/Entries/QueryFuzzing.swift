import Authority
import DNSServer
import DNSWire
import NIOCore
import Routing
import Zones

/// The query fuzz target: the input is one DNS message as it would arrive (without the
/// TCP length prefix), answered by the real `QueryEngine` over fixed zones, health and
/// client locations. The low byte of the message ID picks the transport (bit 0: TCP) and
/// the source address (bits 1–2), so a corpus of real queries covers both transports.
public enum QueryFuzzing {
    static let engine: QueryEngine = {
        let health = FixedHealth(["use1": false, "euw1": true, "apse1": true, "any-region": true])
        return QueryEngine(authority: Authority(locator: FuzzLocator()), zones: ZoneStore(FuzzZones.zoneSet),
                           health: StaticHealthSource(health))
    }()

    static let sources: [IPAddress] = ["192.0.2.1", "10.1.2.3", "2001:db8:100::5", "2a00:1450::1"].map { IPAddress($0)! }

    public static func run(_ bytes: UnsafeRawBufferPointer) {
        warm(bytes)
        _ = respond(to: bytes)
    }

    /// The UDP worker's warm-up over the same bytes (`ZoneSet.warm`), which reads the
    /// question before any decoding has checked it.
    static func warm(_ bytes: UnsafeRawBufferPointer) {
        var warmups = [LookupWarmup()]
        warmups.withUnsafeMutableBufferPointer { FuzzZones.zoneSet.warm($0, count: 1) { _ in bytes } }
    }

    /// The response the engine gives, or nil when it drops the message; checks that a
    /// response is a whole DNS message no larger than any transport carries, with the
    /// query's ID.
    public static func respond(to bytes: UnsafeRawBufferPointer) -> ByteBuffer? {
        let selector = bytes.count > 1 ? bytes[1] : 0
        let transport: Transport = selector & 1 == 0 ? .udp : .tcp
        let source = sources[Int(selector >> 1) & 3]
        let allocator = ByteBufferAllocator()
        var request = allocator.buffer(capacity: bytes.count)
        request.writeBytes(bytes)
        let responder = QueryResponder(engine: engine, random: SplitMix64(seed: 1), allocator: allocator)
        guard responder.respond(to: request, from: source, transport: transport) else { return nil }
        var response = responder.reply
        // Over TCP the reply starts with its length, which must be the rest's.
        if transport == .tcp {
            let length = response.readInteger(as: UInt16.self)
            precondition(length.map(Int.init) == response.readableBytes, "TCP length prefix differs from the message's length")
            response = response.slice()
        }
        precondition(response.readableBytes >= 12 && response.readableBytes <= 65535, "response of \(response.readableBytes) octets")
        precondition(response.getBytes(at: response.readerIndex, length: 2) == Array(bytes.prefix(2)), "response ID differs from the query's")
        return response
    }
}

/// Places and latencies for a few fixed networks, so that geolocation and latency
/// routing take their located branches as well as their defaults.
struct FuzzLocator: ClientLocator {
    let places = PrefixTable<ClientLocation>([
        (IPPrefix("192.0.2.0/24")!, ClientLocation(continent: "NA", country: "US", subdivision: "VA", latitude: 38.9, longitude: -77.0)),
        (IPPrefix("10.0.0.0/8")!, ClientLocation(continent: "EU", country: "DE", latitude: 50.1, longitude: 8.7)),
        (IPPrefix("2001:db8::/32")!, ClientLocation(continent: "AS", country: "SG", latitude: 1.3, longitude: 103.8)),
    ])
    let latency = PrefixTable<[String: Double]>([
        (IPPrefix("192.0.2.0/24")!, ["us-east-1": 10, "eu-west-1": 80, "ap-southeast-1": 200]),
        (IPPrefix("2001:db8::/32")!, ["us-east-1": 220, "eu-west-1": 160, "ap-southeast-1": 5]),
    ])

    init() {}

    func locate(_ prefix: IPPrefix) -> (location: ClientLocation?, scope: UInt8) {
        let (place, scope) = places.lookup(prefix)
        return (place, scope)
    }

    func latencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: LatencyRegions) -> (milliseconds: [Double?], scope: UInt8) {
        let (row, scope) = latency.lookup(prefix)
        return (regions.names.map { row?[$0] }, scope)
    }
}
