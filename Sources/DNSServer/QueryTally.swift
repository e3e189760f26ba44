import DNSWire
import Metrics
import Routing
import Zones

/// One handler's query counts since the last flush, keyed by what `/metrics` reports
/// (zone, type, rcode, policy, set, transport). Owned by one query thread, so counting is a
/// dictionary update with no lock; `flush` hands the counts to swift-metrics once a second.
///
/// Every label comes from a bounded set (SPEC §5), so no sender can make the server
/// register series without end: types the server knows by name (others count as
/// `other`), the served zones, the zones' set ids, the server's own rcodes.
public struct QueryTally {
    /// Routed answers are keyed by their group (held, so it stays alive until the flush)
    /// and the set's position: hashing an identity is cheaper than hashing the set's name,
    /// and the same count serves `/metrics` and the status page.
    struct Key: Hashable {
        var zone: ObjectIdentifier?
        var type: UInt16
        var rcode: UInt16
        var group: ObjectIdentifier?
        var set: Int32
        var transport: Transport
    }

    /// The labels one `switchyard_queries_total` series has.
    struct Labels: Hashable {
        var zone: ObjectIdentifier?
        var type: UInt16
        var rcode: UInt16
        var policy: RoutingPolicy?
        var setID: String?
        var transport: Transport
    }

    /// The type key of every query type without a mnemonic here: type 0 is reserved and
    /// never asked for legitimately (RFC 6895 §3.1), so it can stand for "other".
    static let otherType: UInt16 = 0

    var counts: [Key: Int] = [:]
    /// The key counted last and where it is in `counts`: most queries in a row count the
    /// same key, which then costs a comparison instead of a hash. Forgotten whenever a key
    /// is added (the indices may move) and at every flush.
    var lastCounted: (key: Key, index: Dictionary<Key, Int>.Index)?
    /// The routed groups counted since the last flush, kept alive until then (so an
    /// identifier cannot be reused meanwhile).
    var groups: [ObjectIdentifier: RoutedGroup] = [:]
    /// Names of the zones counted since the last flush. Forgotten at every flush: a zone
    /// replaced by a reload may be freed and its address reused by another.
    var zoneNames: [ObjectIdentifier: String] = [:]
    /// The further sets of multivalue answers (the first set is counted in `counts`).
    var furtherSets: [RoutedKey: Int] = [:]
    /// Moves a drill made, noted since the last hand-over.
    var drillMoves: [DrillMoveNote] = []
    /// The groups (and query types) already seen moving in the current drill, so each is
    /// replayed without the drill only until it first moves.
    var drillNoted: Set<RoutedKey> = []
    var drillNotedFor: String?
    var rateLimited: (dropped: Int, slipped: Int) = (0, 0)
    var tcpClosed: [TCPCloseReason: Int] = [:]

    public init() {}

    /// One answer; `group` and `selection` are those of its first routed decision. One
    /// hash lookup for an answer counted before; the names behind a new key are noted
    /// only then.
    @inline(__always)
    public mutating func count(zone: Zone?, type: UInt16, rcode: ResponseCode, group: RoutedGroup? = nil, selection: Selection = .none,
                               transport: Transport) {
        let type = RecordType(type).hasMnemonic ? type : QueryTally.otherType
        let routed = group != nil && !selection.isEmpty
        let key = Key(zone: zone.map(ObjectIdentifier.init), type: type, rcode: rcode.rawValue, group: routed ? group.map(ObjectIdentifier.init) : nil,
                      set: routed ? Int32(selection.first) : -1, transport: transport)
        if let last = lastCounted, last.key == key {
            counts.values[last.index] += 1
        } else if let index = counts.index(forKey: key) {
            counts.values[index] += 1
            lastCounted = (key, index)
        } else {
            counts[key] = 1
            lastCounted = nil
            if let zone, let id = key.zone, zoneNames[id] == nil { zoneNames[id] = zone.origin.description }
            if let group, let id = key.group, groups[id] == nil { groups[id] = group }
        }
        if routed, let group, !selection.others.isEmpty { countFurther(group, selection.others) }
    }

    mutating func countFurther(_ group: RoutedGroup, _ sets: [Int]) {
        let id = ObjectIdentifier(group)
        if groups[id] == nil { groups[id] = group }
        for set in sets { furtherSets[RoutedKey(group: id, set: Int32(set)), default: 0] += 1 }
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
    public mutating func flush(to observer: (any AnswerObserver)? = nil) {
        var labelled: [Labels: Int] = [:]
        var routed: [RoutedAnswerCount] = []
        for (key, n) in counts {
            let group = key.group.flatMap { groups[$0] }
            let setID = group.flatMap { key.set >= 0 ? $0.sets[Int(key.set)].routing.id : nil }
            labelled[Labels(zone: key.zone, type: key.type, rcode: key.rcode, policy: group?.policy, setID: setID,
                            transport: key.transport), default: 0] += n
            if let group, key.set >= 0 { routed.append(RoutedAnswerCount(group: group, set: Int(key.set), count: n)) }
        }
        if let observer, !routed.isEmpty || !drillMoves.isEmpty || !furtherSets.isEmpty {
            for (key, n) in furtherSets {
                if let group = groups[key.group] { routed.append(RoutedAnswerCount(group: group, set: Int(key.set), count: n)) }
            }
            observer.absorb(routed, moves: drillMoves)
        }
        furtherSets.removeAll(keepingCapacity: true)
        groups.removeAll(keepingCapacity: true)
        drillMoves.removeAll()
        for (labels, n) in labelled {
            counter(for: labels).increment(by: n)
        }
        counts.removeAll(keepingCapacity: true)
        lastCounted = nil
        zoneNames.removeAll(keepingCapacity: true)
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

    func counter(for key: Labels) -> Counter {
        let dimensions = [
            ("zone", key.zone.flatMap { zoneNames[$0] } ?? ""),
            ("type", key.type == QueryTally.otherType ? "other" : RecordType(key.type).mnemonic),
            ("rcode", ResponseCode(rawValue: key.rcode).description),
            ("policy", key.policy?.rawValue ?? ""),
            ("set", key.setID ?? ""),
            ("transport", key.transport.rawValue),
        ]
        return Counter(label: "switchyard_queries_total", dimensions: dimensions)
    }
}
