import Foundation
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
    /// Write one line per query (`--query-log`).
    public let queryLog: Bool
    /// Response rate limiting for UDP (`--rate-limit`); nil when off.
    public let rateLimiter: ResponseRateLimiter?
    /// Takes the routed-answer counts and drill moves each handler hands over.
    public let observer: (any AnswerObserver)?

    public init(authority: Authority, zones: ZoneStore, health: any HealthSource = StaticHealthSource(), queryLog: Bool = false,
                rateLimiter: ResponseRateLimiter? = nil, observer: (any AnswerObserver)? = nil) {
        self.authority = authority
        self.zones = zones
        self.health = health
        self.queryLog = queryLog
        self.rateLimiter = rateLimiter
        self.observer = observer
    }

    /// The response to `request`, or nil when it must be dropped (a runt, or a response).
    /// What happened is added to `tally` (and `log`), which belong to the calling handler.
    public func respond(to request: ByteBuffer, from source: IPAddress, transport: Transport, cache: inout SnapshotCache,
                        random: inout SplitMix64, tally: inout QueryTally, log: inout QueryLogBuffer,
                        allocator: ByteBufferAllocator) -> ByteBuffer? {
        // Over TCP the source is proven by the handshake; spoofed floods come over UDP.
        if transport == .udp, let rateLimiter {
            switch rateLimiter.decide(source, second: ResponseRateLimiter.currentSecond()) {
            case .answer:
                break
            case .drop:
                tally.countRateLimited(.drop)
                return nil
            case .slip:
                tally.countRateLimited(.slip)
                return slipReply(to: request, allocator: allocator)
            }
        }
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
                tally.count(zone: nil, type: 0, rcode: rcode, transport: transport)
                return buffer
            case .notImplemented(let query):
                var buffer = allocator.buffer(capacity: 64)
                ResponseEncoder.encodeRejection(id: query.id, requestFlags: query.flags, rcode: .notImp, query: query, into: &buffer)
                tally.count(zone: nil, type: query.question.type.rawValue, rcode: .notImp, transport: transport)
                return buffer
            }
        }
        if let edns = query.edns, edns.version > 0 {
            var buffer = allocator.buffer(capacity: 64)
            ResponseEncoder.encodeRejection(id: query.id, requestFlags: query.flags, rcode: .badVers, query: query, into: &buffer)
            tally.count(zone: nil, type: query.question.type.rawValue, rcode: .badVers, transport: transport)
            return buffer
        }
        if query.question.type == .opt || query.question.type.rawValue == 0 {
            var buffer = allocator.buffer(capacity: 64)
            ResponseEncoder.encodeRejection(id: query.id, requestFlags: query.flags, rcode: .formErr, query: query, into: &buffer)
            tally.count(zone: nil, type: query.question.type.rawValue, rcode: .formErr, transport: transport)
            return buffer
        }
        let snapshot = cache.snapshot(zones: zones, health: health)
        let client = ClientContext(source: source, subnet: query.clientSubnet)
        let drawsFrom = random
        let response = authority.answer(query.question, client: client, snapshot: snapshot, random: &random)
        if let drill = cache.drill, let group = response.routedGroup {
            noteDrillMove(response, group: group, question: query.question, client: client, drill: drill, draws: drawsFrom, tally: &tally)
        }
        let limit = transport == .udp ? ResponseEncoder.udpLimit(for: query) : 65535
        var buffer = allocator.buffer(capacity: transport == .udp ? limit : 1024)
        let truncated = ResponseEncoder.encode(response, to: query, limit: limit, into: &buffer)
        tally.count(zone: response.zone, type: query.question.type.rawValue, rcode: response.rcode,
                    group: response.routedGroup, selection: response.routedSelection, transport: transport)
        if queryLog { log.append(query: query, response: response, source: source, transport: transport, truncated: truncated) }
        return buffer
    }
}

extension QueryEngine {
    /// While a drill is in progress and this group has not yet been seen moving: answers
    /// the query again without the drill's overrides, with the same random draws, and
    /// notes the move when the set differs. Each group costs a second answer only until
    /// its first move on this handler.
    func noteDrillMove(_ response: Response, group: RoutedGroup, question: Question, client: ClientContext,
                       drill: DrillWatch, draws: SplitMix64, tally: inout QueryTally) {
        guard drill.watches(group), tally.watchesDrillMove(of: group, type: question.type.rawValue, drill: drill.name) else { return }
        var replay = draws
        let before = authority.answer(question, client: client, snapshot: drill.snapshot, random: &replay)
        guard let to = response.routedSetKey, let from = before.routedSetKey, from != to else { return }
        tally.noteDrillMove(DrillMoveNote(drill: drill.name, group: group, type: question.type.rawValue, at: Date(), from: from, to: to,
                                          ttl: before.answer.first?.ttl ?? 0))
    }

    /// The truncated reply rate limiting sends instead of an answer: header, question and
    /// OPT, TC=1, no records, so a real client asks again over TCP. Nothing for a request
    /// that does not decode as a query.
    func slipReply(to request: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard let query = try? Query(decoding: request) else { return nil }
        var buffer = allocator.buffer(capacity: 64)
        ResponseEncoder.encodeRejection(id: query.id, requestFlags: query.flags, rcode: .noError, query: query, truncated: true,
                                        into: &buffer)
        return buffer
    }
}

/// How a query arrived.
public enum Transport: String, Sendable {
    case udp
    case tcp
}

/// One event loop's copy of the current snapshots: re-read from the stores only when
/// their generation moves, so the query path does one atomic load per store per query.
public struct SnapshotCache {
    var zonesGeneration: UInt64 = .max
    var healthGeneration: UInt64 = .max
    var snapshot: Authority.Snapshot?
    /// While a drill is in progress: its name, the snapshot without its overrides, and the
    /// groups worth answering again (see `DrillWatch`).
    var drill: DrillWatch?

    public init() {}

    public mutating func snapshot(zones: ZoneStore, health: any HealthSource) -> Authority.Snapshot {
        let zg = zones.generation
        let hg = health.generation
        if zg != zonesGeneration || hg != healthGeneration || snapshot == nil {
            let zoneSet = zones.current
            snapshot = Authority.Snapshot(zones: zoneSet, health: health.currentView)
            drill = health.currentDrill.map { DrillWatch($0, current: snapshot!) }
            zonesGeneration = zg
            healthGeneration = hg
        }
        return snapshot!
    }
}

/// What one event loop watches while a drill is in progress: the snapshot without the
/// drill's overrides, and the groups whose answers the drill can move — those with a set
/// whose health differs, and those with an ALIAS set (whose target's answer may move
/// without a set of their own changing health). Worked out when the health changes, not
/// per query.
struct DrillWatch {
    let name: String
    let snapshot: Authority.Snapshot
    let groups: Set<ObjectIdentifier>

    init(_ baseline: DrillBaseline, current: Authority.Snapshot) {
        name = baseline.drill
        snapshot = Authority.Snapshot(zones: current.zones, health: baseline.health)
        groups = Set(HealthImpact.groupsADrillCanMove(before: snapshot, after: current).map(ObjectIdentifier.init))
    }

    @inline(__always)
    func watches(_ group: RoutedGroup) -> Bool { groups.contains(ObjectIdentifier(group)) }
}
