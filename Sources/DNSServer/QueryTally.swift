import DNSWire
import Metrics
import Routing
import Zones

/// One handler's query counts since the last flush, keyed by what `/metrics` reports
/// (zone, type, rcode, policy, set, transport). Owned by one query thread, so counting is a
/// table probe with no lock; `flush` hands the counts to swift-metrics once a second.
///
/// Every label comes from a bounded set (SPEC §5), so no sender can make the server
/// register series without end: types the server knows by name (others count as
/// `other`), the served zones, the zones' set ids, the server's own rcodes.
public struct QueryTally {
    /// The type key of every query type without a mnemonic here: type 0 is reserved and
    /// never asked for legitimately (RFC 6895 §3.1), so it can stand for "other".
    static let otherType: UInt16 = 0

    /// Answers by zone, type, rcode, routed group and set (the first chosen), transport.
    var answers = QueryCountTable()
    /// The further sets of multivalue answers (the first set is counted in `answers`).
    var furtherSets = QueryCountTable()
    /// Moves a drill made, noted since the last hand-over.
    var drillMoves: [DrillMoveNote] = []
    /// The groups (and query types) already seen moving in the current drill, so each is
    /// replayed without the drill only until it first moves.
    var drillNoted: Set<RoutedKey> = []
    var drillNotedFor: String?
    var rateLimited: (dropped: Int, slipped: Int) = (0, 0)
    var tcpClosed: [TCPCloseReason: Int] = [:]

    public init() {}

    /// Type, rcode, set (plus one, so "none" is 0) and transport in one word, with the top
    /// bit set (a table key in use is never 0).
    @inline(__always)
    static func pack(type: UInt16, rcode: UInt16, set: Int, transport: Transport) -> UInt64 {
        UInt64(type) | UInt64(rcode) << 16 | UInt64(UInt32(truncatingIfNeeded: set + 1) & 0xFF_FFFF) << 32
            | (transport == .tcp ? 1 << 56 : 0) | 1 << 63
    }

    static func unpack(_ packed: UInt64) -> (type: UInt16, rcode: UInt16, set: Int, transport: Transport) {
        (UInt16(truncatingIfNeeded: packed), UInt16(truncatingIfNeeded: packed >> 16), Int((packed >> 32) & 0xFF_FFFF) - 1,
         packed >> 56 & 1 == 1 ? .tcp : .udp)
    }

    @inline(__always)
    static func identity(_ object: AnyObject?) -> UInt {
        object.map { UInt(bitPattern: ObjectIdentifier($0)) } ?? 0
    }

    /// The key an answer is counted under.
    @inline(__always)
    static func key(zone: Zone?, type: UInt16, rcode: ResponseCode, group: RoutedGroup?, selection: Selection,
                    transport: Transport) -> QueryCountTable.Key {
        let type = RecordType(type).hasMnemonic ? type : QueryTally.otherType
        let routed = group != nil && !selection.isEmpty
        return QueryCountTable.Key(zone: QueryTally.identity(zone), group: routed ? QueryTally.identity(group) : 0,
                                   packed: QueryTally.pack(type: type, rcode: rcode.rawValue, set: routed ? selection.first : -1,
                                                           transport: transport))
    }

    /// Starts fetching where the answer's count will look, so that writing the answer
    /// overlaps the wait on memory; returns the key to count it under (`count(_:zone:group:selection:)`).
    @inline(__always)
    mutating func prefetch(zone: Zone?, type: UInt16, rcode: ResponseCode, group: RoutedGroup?, selection: Selection,
                           transport: Transport) -> QueryCountTable.Key {
        let key = QueryTally.key(zone: zone, type: type, rcode: rcode, group: group, selection: selection, transport: transport)
        answers.prefetch(key)
        if key.group != 0 && selection.count > 1 {
            for k in 1..<selection.count { furtherSets.prefetch(QueryTally.furtherKey(zone: key.zone, group: key.group, set: selection[k])) }
        }
        return key
    }

    /// The key a further set of a multivalue answer is counted under.
    @inline(__always)
    static func furtherKey(zone: UInt, group: UInt, set: Int) -> QueryCountTable.Key {
        QueryCountTable.Key(zone: zone, group: group, packed: UInt64(UInt32(truncatingIfNeeded: set)) | 1 << 63)
    }

    /// One answer; `group` and `selection` are those of its first routed decision. A probe
    /// of the table for an answer counted in the last second; the zone and group are held
    /// only when a key is new.
    @inline(__always)
    public mutating func count(zone: Zone?, type: UInt16, rcode: ResponseCode, group: RoutedGroup? = nil, selection: Selection = .none,
                               transport: Transport) {
        count(QueryTally.key(zone: zone, type: type, rcode: rcode, group: group, selection: selection, transport: transport),
              zone: zone, group: group, selection: selection)
    }

    /// One answer under a key already made (by `prefetch`).
    @inline(__always)
    mutating func count(_ key: QueryCountTable.Key, zone: Zone?, group: RoutedGroup?, selection: Selection) {
        let routed = key.group != 0
        answers.add(1, to: key, zone: zone, group: routed ? group : nil)
        if routed, let group, selection.count > 1 { countFurther(of: key, zone: zone, group: group, selection: selection) }
    }

    /// The further sets of a multivalue answer counted under `key`.
    mutating func countFurther(of key: QueryCountTable.Key, zone: Zone?, group: RoutedGroup, selection: Selection) {
        for k in 1..<selection.count {
            furtherSets.add(1, to: QueryTally.furtherKey(zone: key.zone, group: key.group, set: selection[k]), zone: zone, group: group)
        }
    }

    /// Whether a drill's move of `group` for query `type` still has to be looked for;
    /// starts over when another drill is in progress.
    @inline(__always)
    public mutating func watchesDrillMove(of group: RoutedGroup, type: UInt16, drill: String) -> Bool {
        if drillNotedFor != drill {
            drillNotedFor = drill
            drillNoted.removeAll()
        }
        return !drillNoted.contains(RoutedKey(group: ObjectIdentifier(group), set: Int32(type)))
    }

    public mutating func noteDrillMove(_ note: DrillMoveNote) {
        drillNoted.insert(RoutedKey(group: ObjectIdentifier(note.group), set: Int32(note.type)))
        drillMoves.append(note)
    }

    /// A UDP reply that response rate limiting dropped or sent truncated.
    public mutating func countRateLimited(_ decision: ResponseRateLimiter.Decision) {
        switch decision {
        case .drop: rateLimited.dropped += 1
        case .slip: rateLimited.slipped += 1
        case .answer: break
        }
    }

    mutating func countTCPClose(_ reason: TCPCloseReason) {
        tcpClosed[reason, default: 0] += 1
    }

    /// Adds the counts to the counters, hands routed answers to `observer`, and starts again.
    /// `served` are the zones served now: keys of other zones are let go of as soon as
    /// they go a flush uncounted (see `QueryCountTable.endFlush`).
    public mutating func flush(to observer: (any AnswerObserver)? = nil, served: ZoneSet? = nil) {
        var routed: [RoutedAnswerCount] = []
        for slot in 0..<answers.capacity where answers.isUsed(slot) && answers.entries[slot].count > 0 {
            let n = answers.entries[slot].count
            let fields = QueryTally.unpack(answers.entries[slot].key.packed)
            if answers.holds[slot].counter == nil {
                answers.holds[slot].counter = QueryTally.counter(zone: answers.holds[slot].zone, type: fields.type, rcode: fields.rcode,
                                                                 group: answers.holds[slot].group, set: fields.set, transport: fields.transport)
            }
            answers.holds[slot].counter?.increment(by: n)
            if observer != nil, fields.set >= 0, let group = answers.holds[slot].groupReference {
                routed.append(RoutedAnswerCount(groupReference: group, set: fields.set, count: n))
            }
        }
        if let observer {
            for slot in 0..<furtherSets.capacity where furtherSets.isUsed(slot) && furtherSets.entries[slot].count > 0 {
                if let group = furtherSets.holds[slot].groupReference {
                    let set = Int(UInt32(truncatingIfNeeded: furtherSets.entries[slot].key.packed))
                    routed.append(RoutedAnswerCount(groupReference: group, set: set, count: furtherSets.entries[slot].count))
                }
            }
            if !routed.isEmpty || !drillMoves.isEmpty { observer.absorb(routed, moves: drillMoves) }
        }
        let servedZones = Set((served?.zones ?? []).map { QueryTally.identity($0) })
        answers.endFlush(isServed: servedZones.contains)
        furtherSets.endFlush(isServed: servedZones.contains)
        drillMoves.removeAll()
        if rateLimited.dropped > 0 {
            Counter(label: "switchyard_rate_limited_total", dimensions: [("action", "dropped")]).increment(by: rateLimited.dropped)
        }
        if rateLimited.slipped > 0 {
            Counter(label: "switchyard_rate_limited_total", dimensions: [("action", "slipped")]).increment(by: rateLimited.slipped)
        }
        rateLimited = (0, 0)
        for (reason, n) in tcpClosed {
            Counter(label: "switchyard_tcp_connections_closed_total", dimensions: [("reason", reason.rawValue)]).increment(by: n)
        }
        tcpClosed.removeAll()
    }

    struct RoutedKey: Hashable {
        var group: ObjectIdentifier
        var set: Int32
    }

    /// The `switchyard_queries_total` series of one key (made once per key, not per flush).
    static func counter(zone: Zone?, type: UInt16, rcode: UInt16, group: RoutedGroup?, set: Int, transport: Transport) -> Counter {
        let dimensions = [
            ("zone", zone?.origin.description ?? ""),
            ("type", type == QueryTally.otherType ? "other" : RecordType(type).mnemonic),
            ("rcode", ResponseCode(rawValue: rcode).description),
            ("policy", group?.policy.rawValue ?? ""),
            ("set", group.flatMap { set >= 0 && set < $0.sets.count ? $0.sets[set].routing.id : nil } ?? ""),
            ("transport", transport.rawValue),
        ]
        return Counter(label: "switchyard_queries_total", dimensions: dimensions)
    }
}
