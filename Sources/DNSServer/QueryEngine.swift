import Authority
import DNSWire
import NIOCore
import Routing
import Zones

/// Turns request bytes into response bytes: decode, guard, answer, encode. Shared by the
/// UDP and TCP handlers of every event loop; it holds only immutable configuration and
/// the snapshot stores, so it needs no lock.
public final class QueryEngine: Sendable {
    public let authority: Authority
    public let zones: ZoneStore
    public let health: any HealthSource
    public let observer: (any QueryObserver)?

    public init(authority: Authority, zones: ZoneStore, health: any HealthSource = StaticHealthSource(), observer: (any QueryObserver)? = nil) {
        self.authority = authority
        self.zones = zones
        self.health = health
        self.observer = observer
    }

    /// The response to `request`, or nil when it must be dropped (a runt, or a response).
    public func respond(to request: ByteBuffer, from source: IPAddress, transport: Transport,
                        cache: inout SnapshotCache, random: inout SplitMix64, allocator: ByteBufferAllocator) -> ByteBuffer? {
        let query: Query
        do {
            query = try Query(decoding: request)
        } catch {
            switch error {
            case .drop:
                return nil
            case .reply(let id, let flags, let rcode):
                var buffer = allocator.buffer(capacity: 12)
                ResponseEncoder.encodeRejection(id: id, requestFlags: flags, rcode: rcode, into: &buffer)
                observer?.rejected(rcode: rcode, source: source, transport: transport)
                return buffer
            }
        }
        if let edns = query.edns, edns.version > 0 {
            var buffer = allocator.buffer(capacity: 64)
            ResponseEncoder.encodeRejection(id: query.id, requestFlags: query.flags, rcode: .badVers, query: query, into: &buffer)
            observer?.rejected(rcode: .badVers, source: source, transport: transport)
            return buffer
        }
        if query.question.type == .opt || query.question.type.rawValue == 0 {
            var buffer = allocator.buffer(capacity: 64)
            ResponseEncoder.encodeRejection(id: query.id, requestFlags: query.flags, rcode: .formErr, query: query, into: &buffer)
            observer?.rejected(rcode: .formErr, source: source, transport: transport)
            return buffer
        }
        let snapshot = cache.snapshot(zones: zones, health: health)
        let client = ClientContext(source: source, subnet: query.clientSubnet)
        let response = authority.answer(query.question, client: client, snapshot: snapshot, random: &random)
        let limit = transport == .udp ? ResponseEncoder.udpLimit(for: query) : 65535
        var buffer = allocator.buffer(capacity: transport == .udp ? limit : 1024)
        let truncated = ResponseEncoder.encode(response, to: query, limit: limit, into: &buffer)
        observer?.answered(query: query, response: response, source: source, transport: transport, truncated: truncated)
        return buffer
    }
}

/// How a query arrived.
public enum Transport: String, Sendable {
    case udp
    case tcp
}

/// Told about every query answered (metrics, the query log). Called on the event loop
/// that answered; implementations must not block.
public protocol QueryObserver: Sendable {
    func answered(query: Query, response: Response, source: IPAddress, transport: Transport, truncated: Bool)
    func rejected(rcode: ResponseCode, source: IPAddress, transport: Transport)
}

/// One event loop's copy of the current snapshots: re-read from the stores only when
/// their generation moves, so the query path does one atomic load per store per query.
public struct SnapshotCache {
    var zonesGeneration: UInt64 = .max
    var healthGeneration: UInt64 = .max
    var snapshot: Authority.Snapshot?

    public init() {}

    public mutating func snapshot(zones: ZoneStore, health: any HealthSource) -> Authority.Snapshot {
        let zg = zones.generation
        let hg = health.generation
        if zg != zonesGeneration || hg != healthGeneration || snapshot == nil {
            snapshot = Authority.Snapshot(zones: zones.current, health: health.currentView)
            zonesGeneration = zg
            healthGeneration = hg
        }
        return snapshot!
    }
}
