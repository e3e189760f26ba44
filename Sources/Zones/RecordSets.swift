import DNSWire
import Routing
import ZoneFile

/// A plain RRset: every record of one owner and type, served as a whole (RFC 2181 §5).
///
/// Its records are wire octets (`RecordDataBytes`), for a zone's sets a range of the
/// zone's one arena: handing a set out copies no record. `records` decodes them, for cold
/// paths only.
public struct RRSet: Hashable, Sendable {
    public let type: RecordType
    public let ttl: UInt32
    public let data: RecordDataBytes

    public init(type: RecordType, ttl: UInt32, records: [RData]) {
        self.init(type: type, ttl: ttl, data: RecordDataBytes(records: records))
    }

    @inlinable
    public init(type: RecordType, ttl: UInt32, data: RecordDataBytes) {
        self.type = type
        self.ttl = ttl
        self.data = data
    }

    public var count: Int { data.count }
    public var records: [RData] { data.records(of: type) }

    public static func == (lhs: RRSet, rhs: RRSet) -> Bool {
        lhs.type == rhs.type && lhs.ttl == rhs.ttl && lhs.count == rhs.count && lhs.records == rhs.records
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(ttl)
        hasher.combine(count)
    }
}

/// What a routed record set answers with: its own records, or an ALIAS to another name.
public enum RecordSetContent: Hashable, Sendable {
    case records(RRSet)
    case alias(target: DomainName)
}

/// One member of a routed group: Route 53's record set with a SetIdentifier.
public struct RoutedRecordSet: Hashable, Sendable {
    public var routing: SetRouting
    public var content: RecordSetContent
    /// The TTL written on the lines (ALIAS answers use the target's TTL instead).
    public var ttl: UInt32
    public var location: SourceLocation
}

/// Every record set that answers one name for one query type under one routing policy.
///
/// `type` nil is the group of ALIAS sets, which answers any type the name has no records
/// of; a type's own group also contains the ALIAS sets, so a failover pair may mix an
/// ALIAS primary with a plain secondary, as Route 53 allows.
///
/// Immutable, and a class so the query path takes it by reference; what the health walk
/// reads per set is laid out in flat arrays.
public final class RoutedGroup: Sendable {
    /// The owner name the group is written at (metrics, drills and the status page name
    /// an answer by it; a wildcard group keeps its `*` name).
    public let owner: DomainName
    public let type: RecordType?
    public let sets: [RoutedRecordSet]
    /// The policy's lookup tables, precomputed.
    public let plan: RoutingPlan
    /// Per set: where its health check is in its zone's `healthCheckSlots` (whose states
    /// a snapshot keeps side by side), or -1 for none.
    public let healthSlots: [Int32]
    /// Per set: where its evaluated ALIAS target is in its zone's `evaluatedTargets`, or
    /// -1. The target's health is looked up there, settled once per zone set and health
    /// snapshot, rather than searched for per query.
    public let evaluatedSlots: [Int32]
    /// True when no set has a check or evaluates its target: the walk can skip health.
    public let alwaysHealthy: Bool
    /// True when a set is an ALIAS: the set its target's own policy chooses is part of the
    /// answer (`Response.routedSetKey`), and may move with no set of this group changing
    /// health.
    public let hasAliasSet: Bool

    /// `evaluatedSlot` gives the zone's slot of an evaluated ALIAS target, `healthSlot`
    /// that of a health check.
    public init(owner: DomainName, type: RecordType?, policy: RoutingPolicy, sets: [RoutedRecordSet], evaluatedSlot: (DomainName) -> Int32,
                healthSlot: (String) -> Int32) {
        self.owner = owner
        self.type = type
        self.sets = sets
        self.plan = RoutingPlan(policy: policy, sets: sets.map(\.routing))
        self.healthSlots = sets.map { $0.routing.healthCheckID.map(healthSlot) ?? -1 }
        // Per set: the ALIAS target whose health it takes (evaluate-target-health), if any.
        let evaluatedTargets = sets.map { set -> DomainName? in
            guard set.routing.evaluateTargetHealth, case .alias(let target) = set.content else { return nil }
            return target
        }
        self.evaluatedSlots = evaluatedTargets.map { $0.map(evaluatedSlot) ?? -1 }
        self.alwaysHealthy = healthSlots.allSatisfy { $0 < 0 } && evaluatedSlots.allSatisfy { $0 < 0 }
        self.hasAliasSet = sets.contains { if case .alias = $0.content { true } else { false } }
    }

    public var policy: RoutingPolicy { plan.policy }

    /// True when the group is a CNAME group, which answers every query type at its name.
    public var isCNAME: Bool { type == .cname }
}
