import DNSWire
import Routing
import Zones

/// An RRset as it goes into a response: owner (with the spelling to echo), type, TTL and
/// the records' wire data, shared with the zone (nothing is copied).
public struct ResponseRRSet: Sendable, Equatable {
    public var owner: DomainName
    public var type: RecordType
    public var ttl: UInt32
    /// The records in wire form; `records` decodes them (cold paths only).
    public internal(set) var data: RecordDataBytes

    public init(owner: DomainName, type: RecordType, ttl: UInt32, records: [RData]) {
        self.owner = owner
        self.type = type
        self.ttl = ttl
        self.data = RecordDataBytes(records: records)
    }

    public init(owner: DomainName, _ set: RRSet) {
        self.owner = owner
        self.type = set.type
        self.ttl = set.ttl
        self.data = set.data
    }

    public var count: Int { data.count }
    public var records: [RData] { data.records(of: type) }

    /// The records one per line in presentation form (for tests and `explain`).
    public var lines: [String] {
        records.map { "\(owner)\t\(ttl)\tIN\t\(type)\t\($0.presentation)" }
    }

    public static func == (lhs: ResponseRRSet, rhs: ResponseRRSet) -> Bool {
        lhs.owner == rhs.owner && lhs.type == rhs.type && lhs.ttl == rhs.ttl && lhs.records == rhs.records
    }
}

/// The answer to one query as a value: what the wire encoder writes and what metrics,
/// the query log and `explain` read. Authority builds it and never writes bytes.
public struct Response: Sendable {
    public var rcode: ResponseCode
    public var authoritative: Bool
    public var answer: [ResponseRRSet] = []
    public var authority: [ResponseRRSet] = []
    public var additional: [ResponseRRSet] = []
    /// How many RRsets at the start of the additional section are glue that a referral
    /// needs (RFC 9471): if one does not fit, the response is truncated rather than sent
    /// without it. Later additional sets are optional and simply left out.
    public var requiredGlue = 0
    /// Whether the additional section holds required glue.
    public var glueRequired: Bool { requiredGlue > 0 }
    /// The zone that answered (nil when REFUSED).
    public var zone: Zone?
    /// The ECS scope prefix the answer depends on (RFC 7871 §7.2.1).
    public var clientSubnetScope: UInt8 = 0
    /// The group of the first routed decision and the sets it chose (several for a
    /// multivalue answer): what metrics, the query log, drills and the status page count
    /// answers by. References into the zone, nothing copied.
    public var routedGroup: RoutedGroup?
    public var routedSelection: Selection = .none
    /// The policy and first set of that decision.
    public var policy: RoutingPolicy? { routedGroup?.policy }
    public var setID: String? {
        guard let routedGroup, !routedSelection.isEmpty else { return nil }
        return routedGroup.sets[routedSelection.first].routing.id
    }
    /// When the first chosen set is an ALIAS to a routed name: that name's group and the
    /// set its own policy chose (a geolocation default that aliases a latency name answers
    /// from different regions under one set id). Kept as a position, so that an answer
    /// reads no set's id unless something asks for it.
    public var routedAlias: (group: RoutedGroup, set: Int)?
    /// The id of the set `routedAlias` names.
    public var routedAliasSetID: String? { routedAlias.map { $0.group.sets[$0.set].routing.id } }

    /// The set identifiers of the first routed decision, sorted and joined with "+" (one
    /// id for every policy but multivalue), followed by the set chosen behind an ALIAS in
    /// parentheses ("default (use1)"); nil for an answer no policy chose.
    public var routedSetKey: String? {
        guard let group = routedGroup, !routedSelection.isEmpty else { return nil }
        let chosen = routedSelection.count == 1 ? group.sets[routedSelection.first].routing.id
            : (0..<routedSelection.count).map { group.sets[routedSelection[$0]].routing.id }.sorted().joined(separator: "+")
        return routedAliasSetID.map { "\(chosen) (\($0))" } ?? chosen
    }

    public init(rcode: ResponseCode, authoritative: Bool, zone: Zone? = nil) {
        self.rcode = rcode
        self.authoritative = authoritative
        self.zone = zone
    }

    public static func refused() -> Response { Response(rcode: .refused, authoritative: false) }
}
