import Authority
import DNSWire
import Foundation
import NIOCore
import Routing
import Zones
import ZoneTransfer

/// The query path of one thread (a UDP worker, or a TCP connection on its event loop):
/// request bytes in, reply bytes out. It owns everything that changes between queries —
/// its copy of the snapshots, its random generator, its query counts and query-log lines,
/// and the reply buffer, reused for every reply — so none of it needs a lock; what all
/// threads share is the engine.
public final class QueryResponder {
    public let engine: QueryEngine
    var cache = SnapshotCache()
    var random: SplitMix64
    var tally = QueryTally()
    var log = QueryLogBuffer()
    /// The reply to the last request answered; cleared for each request.
    public private(set) var reply: ByteBuffer
    /// Whether something was counted since the last hand-over to the metrics.
    public private(set) var hasCounts = false
    /// Signs answers of signed zones for DO queries; nil when no zone is signed.
    public var signer: AnswerSigner?
    /// The messages answering a transfer request over TCP, which the connection sends as
    /// the client reads them (`reply` is empty then).
    var transfer: TransferStream?

    public init(engine: QueryEngine, random: SplitMix64 = SplitMix64(), allocator: ByteBufferAllocator = ByteBufferAllocator()) {
        self.engine = engine
        self.random = random
        reply = allocator.buffer(capacity: 2048)
        signer = engine.zoneKeys.map { AnswerSigner(keys: $0, cacheCapacity: engine.signatureCacheSize, presigned: engine.presigned) }
    }

    /// The zones the next answers read (taking a new snapshot if they changed), for the
    /// warm-up of a batch's lookups (`LookupWarmup`).
    public func currentZones() -> ZoneSet {
        cache.snapshot(zones: engine.zones, health: engine.health).zones
    }

    /// Answers one request into `reply`; false when nothing is to be sent. `whole` is
    /// false for a datagram the kernel cut short. Over TCP the reply starts with its
    /// two-octet length (RFC 1035 §4.2.2).
    public func respond(to request: ByteBuffer, whole: Bool = true, from source: IPAddress, transport: Transport) -> Bool {
        reply.clear()
        // Over TCP the source is proven by the handshake; spoofed floods come over UDP, and
        // what is dropped for them is not even decoded.
        if transport == .udp, let rateLimiter = engine.rateLimiter {
            let decision = rateLimiter.decide(source, second: ResponseRateLimiter.currentSecond())
            if decision != .answer {
                tally.countRateLimited(decision)
                hasCounts = true
                guard decision == .slip else { return false }
                write(Authority.slip(Authority.decode(request, whole: whole)), limit: 512, transport: transport)
                return reply.readableBytes > 0
            }
        }
        let decoded = Authority.decode(request, whole: whole)
        let snapshot = cache.snapshot(zones: engine.zones, health: engine.health)
        let drawsFrom = random
        let answer = engine.authority.reply(to: decoded, source: source, snapshot: snapshot, random: &random)
        // Consumed, so the query and response move out of the reply instead of being copied.
        switch consume answer {
        case .drop:
            return false
        case .rejection(let rejection):
            tally.count(zone: nil, type: rejection.type, rcode: rejection.rcode, transport: transport)
            hasCounts = true
            write(.rejection(rejection), limit: 512, transport: transport)
            return true
        case .answer(let query, let response):
            send(response, to: query, tsig: false, request: request, source: source, transport: transport,
                 snapshot: snapshot, draws: drawsFrom)
            return true
        case .signed(let query, let response):
            send(response, to: query, tsig: true, request: request, source: source, transport: transport,
                 snapshot: snapshot, draws: drawsFrom)
            return true
        case .transfer(let query):
            respondToTransfer(query, request: request, source: source, zones: snapshot.zones, transport: transport)
            return true
        }
    }

    /// Writes an answer into `reply`: DNSSEC for a DO query to a signed zone, the TSIG
    /// record for a signed request (a secondary's SOA query, say), then the counts, the
    /// drill's moves and the query log, the same for both.
    @inline(__always)
    func send(_ response: Response, to query: Query, tsig: Bool, request: ByteBuffer, source: IPAddress, transport: Transport,
              snapshot: Authority.Snapshot, draws: SplitMix64) {
        if let drill = cache.drill, let group = response.routedGroup {
            noteDrillMove(response, group: group, question: query.question, source: source, subnet: query.clientSubnet,
                          drill: drill, draws: draws)
        }
        let countKey = tally.prefetch(zone: response.zone, type: query.question.type.rawValue, rcode: response.rcode,
                                      group: response.routedGroup, selection: response.routedSelection, transport: transport)
        var limit = transport == .udp ? ResponseEncoder.udpLimit(for: query) : 65535
        // Room for the TSIG record the answer gets.
        if tsig { limit -= engine.transfers?.signatureRoom ?? 0 }
        // The response is encoded where it is: wrapping it in a new reply, or choosing
        // between it and a signed copy, would copy it and count each of its references.
        let truncated: Bool
        if signer != nil && AnswerSigner.applies(to: query) {
            let signed = signer!.sign(response, to: query, snapshot: snapshot, now: UInt32(truncatingIfNeeded: time(nil)))
            truncated = framed(transport) { ResponseEncoder.encode(signed, to: query, limit: limit, into: &$0) }
        } else {
            truncated = framed(transport) { ResponseEncoder.encode(response, to: query, limit: limit, into: &$0) }
        }
        if tsig {
            let start = reply.readerIndex + (transport == .tcp ? 2 : 0)
            engine.transfers?.sign(&reply, messageStart: start, request: request, query: query)
            if transport == .tcp { setLengthPrefix() }
        }
        tally.count(countKey, zone: response.zone, group: response.routedGroup, selection: response.routedSelection)
        hasCounts = true
        if engine.queryLog { log.append(query: query, response: response, source: source, transport: transport, truncated: truncated) }
    }

    /// A transfer request: refused without `--allow-transfer`; otherwise the transfer code's
    /// answer, one message over UDP or a stream over TCP (left in `transfer`).
    func respondToTransfer(_ query: Query, request: ByteBuffer, source: IPAddress, zones: ZoneSet, transport: Transport) {
        hasCounts = true
        guard let transfers = engine.transfers else {
            tally.count(zone: nil, type: query.question.type.rawValue, rcode: .refused, transport: transport)
            write(.transfer(query), limit: 512, transport: transport)
            return
        }
        let stream = transfers.respond(to: request, query: query, source: source, zones: zones,
                                       transport: transport == .tcp ? .tcp : .udp)
        tally.count(zone: nil, type: query.question.type.rawValue, rcode: stream.rcode, transport: transport)
        if transport == .tcp {
            transfer = stream
        } else if var message = stream.next() {
            reply.writeBuffer(&message)
        }
    }

    /// The transfer stream the last request started, handed over once.
    func takeTransfer() -> TransferStream? {
        defer { transfer = nil }
        return transfer
    }

    /// Encodes `answer` into `reply` (after a length prefix over TCP); whether it was truncated.
    @discardableResult
    func write(_ answer: Authority.Reply, limit: Int, transport: Transport) -> Bool {
        if case .drop = answer { return false }
        return framed(transport) { Authority.encode(answer, limit: limit, into: &$0) }
    }

    /// Writes one message into `reply` with `encode`, over TCP after a length prefix set
    /// once the message is complete; returns what `encode` returns (whether it truncated).
    @inline(__always)
    func framed(_ transport: Transport, _ encode: (inout ByteBuffer) -> Bool) -> Bool {
        guard transport == .tcp else { return encode(&reply) }
        reply.writeInteger(UInt16(0))
        let truncated = encode(&reply)
        setLengthPrefix()
        return truncated
    }

    /// Sets the TCP length prefix at the start of `reply` to the message after it.
    @inline(__always)
    func setLengthPrefix() {
        reply.setInteger(UInt16(truncatingIfNeeded: reply.readableBytes - 2), at: reply.readerIndex)
    }

    /// Hands the counts to the metrics (and routed answers to the observer).
    public func flushTally() {
        tally.flush(to: engine.observer, served: engine.zones.current)
        hasCounts = false
    }

    /// Lets go of a replaced zone set this thread still holds (see `SnapshotCache.dropIfStale`).
    public func dropStaleSnapshot() {
        cache.dropIfStale(zones: engine.zones)
    }

    /// Writes the query-log lines gathered since the last call.
    public func flushLog() {
        log.flush()
    }

    /// Counts a TCP connection the server closed itself.
    func countTCPClose(_ reason: TCPCloseReason) {
        tally.countTCPClose(reason)
        hasCounts = true
    }

    /// While a drill is in progress and this group has not yet been seen moving: answers
    /// the query again without the drill's overrides, with the same random draws, and
    /// notes the move when the set differs. Each group costs a second answer only until
    /// its first move on this thread.
    func noteDrillMove(_ response: Response, group: RoutedGroup, question: Question, source: IPAddress, subnet: ClientSubnet?,
                       drill: DrillWatch, draws: SplitMix64) {
        guard drill.watches(group), tally.watchesDrillMove(of: group, type: question.type.rawValue, drill: drill.name) else { return }
        var replay = draws
        let client = ClientContext(source: source, subnet: subnet)
        let before = engine.authority.answer(question, client: client, snapshot: drill.snapshot, random: &replay)
        guard let to = response.routedSetKey, let from = before.routedSetKey, from != to else { return }
        tally.noteDrillMove(DrillMoveNote(drill: drill.name, group: group, type: question.type.rawValue, at: Date(), from: from, to: to,
                                          ttl: before.answer.first?.ttl ?? 0))
        hasCounts = true
    }
}
