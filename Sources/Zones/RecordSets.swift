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
/// Immutable, and a class so the query path takes it by reference. What one query reads
/// is kept close together: the plan's fields inline in this object, its per-set entries
/// (with each set's health slots) in one buffer, and the sets' contents in another, since
/// a zone's groups are far too many to stay in the processor's caches.
public final class RoutedGroup: Sendable {
    // The order of the stored properties is their order in memory: `contents` and the
    // plan's first fields fill the object's first cache line, which is all a decision
    // reads of the group itself.

    /// Per set, what it answers with (`sets[i].content`, without the rest of the set).
    public let contents: [RecordSetContent]
    /// The policy's lookup tables, precomputed. Per set it also holds where the set's
    /// health check is in its zone's `healthCheckSlots` (whose states a snapshot keeps
    /// side by side), and where its evaluated ALIAS target is in its zone's
    /// `evaluatedTargets`, whose health is settled once per zone set and health snapshot
    /// rather than searched for per query (-1: none).
    public let plan: RoutingPlan
    /// The owner name the group is written at (metrics, drills and the status page name
    /// an answer by it; a wildcard group keeps its `*` name).
    public let owner: DomainName
    public let type: RecordType?
    public let sets: [RoutedRecordSet]
    /// True when a set is an ALIAS: the set its target's own policy chooses is part of the
    /// answer (`Response.routedSetKey`), and may move with no set of this group changing
    /// health.
    public let hasAliasSet: Bool

    /// True when no set has a check or evaluates its target: the walk can skip health.
    public var alwaysHealthy: Bool { plan.alwaysHealthy }

    /// Asks for the first lines of what a decision reads after this object: the plan's
    /// per-set entries and the sets' contents (`LookupWarmup`).
    func prefetchDecision() {
        contents.prefetchElements()
        plan.prefetchMembers()
    }

    /// `evaluatedSlot` gives the zone's slot of an evaluated ALIAS target, `healthSlot`
    /// that of a health check.
    public init(owner: DomainName, type: RecordType?, policy: RoutingPolicy, sets: [RoutedRecordSet], evaluatedSlot: (DomainName) -> Int32,
                healthSlot: (String) -> Int32) {
        self.owner = owner
        self.type = type
        self.sets = sets
        let slots = sets.map { set -> (health: Int32, evaluated: Int32) in
            let health = set.routing.healthCheckID.map(healthSlot) ?? -1
            guard set.routing.evaluateTargetHealth, case .alias(let target) = set.content else { return (health, -1) }
            return (health, evaluatedSlot(target))
        }
        self.plan = RoutingPlan(policy: policy, sets: sets.map(\.routing), slots: slots)
        self.contents = sets.map(\.content)
        self.hasAliasSet = sets.contains { if case .alias = $0.content { true } else { false } }
    }

    /// `group` with its sets, plan and contents in other buffers (see `RoutedGroupPacking`).
    init(repacking group: RoutedGroup, sets: [RoutedRecordSet], plan: RoutingPlan, contents: [RecordSetContent]) {
        owner = group.owner
        type = group.type
        self.sets = sets
        self.plan = plan
        self.contents = contents
        hasAliasSet = group.hasAliasSet
    }

    public var policy: RoutingPolicy { plan.policy }

    /// The plan's decision (`RoutingPlan.select`), reading the plan in place.
    @inlinable
    public func select<H: SetHealth, R: RandomNumberGenerator, T: DecisionTrace>(
        client: inout ClientView, health: inout H, random: inout R, trace: inout T
    ) -> Selection {
        plan.select(client: &client, health: &health, random: &random, trace: &trace)
    }

    /// True when the group is a CNAME group, which answers every query type at its name.
    public var isCNAME: Bool { type == .cname }
}
