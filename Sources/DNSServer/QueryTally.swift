import DNSWire
import Metrics
import Routing
import Zones

/// One handler's query counts since the last flush, keyed by what `/metrics` reports
/// (zone, type, rcode, policy, set, transport). Owned by one event loop, so counting is a
/// dictionary update with no lock; `flush` hands the counts to swift-metrics once a second.
///
/// Every label comes from a bounded set (SPEC §5), so no sender can make the server
/// register series without end: types the server knows by name (others count as
/// `other`), the served zones, the zones' set ids, the server's own rcodes.
public struct QueryTally {
    struct Key: Hashable {
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
    /// Names of the zones counted since the last flush. Forgotten at every flush: a zone
    /// replaced by a reload may be freed and its address reused by another.
    var zoneNames: [ObjectIdentifier: String] = [:]
    /// Answers per routed group and set, with the groups counted (kept alive until the
    /// hand-over, so an identifier cannot be reused meanwhile).
    var routed: [RoutedKey: Int] = [:]
    var routedGroups: [ObjectIdentifier: RoutedGroup] = [:]
    /// Moves a drill made, noted since the last hand-over.
    var drillMoves: [DrillMoveNote] = []
    /// The groups (and query types) already seen moving in the current drill, so each is
    /// replayed without the drill only until it first moves.
    var drillNoted: Set<RoutedKey> = []
    var drillNotedFor: String?
    var rateLimited: (dropped: Int, slipped: Int) = (0, 0)
    var tcpClosed: [TCPCloseReason: Int] = [:]

    public init() {}

    @inline(__always)
    public mutating func count(zone: Zone?, type: UInt16, rcode: ResponseCode, policy: RoutingPolicy?, setID: String?, transport: Transport) {
        let id = zone.map(ObjectIdentifier.init)
        if let zone, let id, zoneNames[id] == nil { zoneNames[id] = zone.origin.description }
        let type = RecordType(type).hasMnemonic ? type : QueryTally.otherType
        counts[Key(zone: id, type: type, rcode: rcode.rawValue, policy: policy, setID: setID, transport: transport), default: 0] += 1
    }

    /// One routed answer, under the sets it chose.
    @inline(__always)
    public mutating func countRouted(_ group: RoutedGroup, selection: Selection) {
        let id = ObjectIdentifier(group)
        if routedGroups[id] == nil { routedGroups[id] = group }
        for k in 0..<selection.count { routed[RoutedKey(group: id, set: Int32(selection[k])), default: 0] += 1 }
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
        if let observer, !routed.isEmpty || !drillMoves.isEmpty {
            let counts = routed.compactMap { key, n in
                routedGroups[key.group].map { RoutedAnswerCount(group: $0, set: Int(key.set), count: n) }
            }
            observer.absorb(counts, moves: drillMoves)
        }
        routed.removeAll(keepingCapacity: true)
        routedGroups.removeAll(keepingCapacity: true)
        drillMoves.removeAll()
        for (key, n) in counts {
            counter(for: key).increment(by: n)
        }
        counts.removeAll(keepingCapacity: true)
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

    func counter(for key: Key) -> Counter {
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
