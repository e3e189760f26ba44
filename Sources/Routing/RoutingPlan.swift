import DNSWire

/// A routed group's sets with everything the policy needs worked out at load: weights,
/// the geo and CIDR match codes, the failover pair, the latency regions.
///
/// What one query reads lies in a few places: the plan's own fields (inline in the value
/// that holds it) and `members`, one buffer with a small fixed-size entry per set. A zone
/// has thousands of groups, too many for the processor's caches; every further buffer a
/// decision visited would be one more wait on memory per query.
public struct RoutingPlan: Sendable {
    // The order of the stored properties is their order in memory: what every decision
    // reads comes first, 32 bytes that share a cache line with the start of the group
    // holding the plan (see `RoutedGroup`).

    /// Per set, in set order.
    @usableFromInline let members: [Member]
    public let policy: RoutingPolicy
    let defaults: (geo: Int32, primary: Int32, secondary: Int32, cidr: Int32)
    /// The latency sets' regions, in set order.
    let latencyRegions: LatencyRegions
    /// The sets' routing identities, for traces and reports; selection reads `members`.
    public let sets: [SetRouting]
    let cidrCollection: String?

    /// Asks for the first line of the per-set entries, which a decision reads first.
    public func prefetchMembers() {
        members.prefetchElements()
    }

    /// True when no set has health slots: nothing can make a set unhealthy.
    public var alwaysHealthy: Bool { members.allSatisfy { $0.slots.health < 0 && $0.slots.evaluated < 0 } }

    var geoDefault: Int { Int(defaults.geo) }
    var primary: Int { Int(defaults.primary) }
    var secondary: Int { Int(defaults.secondary) }
    var cidrDefault: Int { Int(defaults.cidr) }

    /// What selection and the health walk read of one set.
    @usableFromInline struct Member: Sendable {
        /// The place code of a geolocation set or the location of a CIDR set (`MatchCode`).
        @usableFromInline var code: UInt64
        @usableFromInline var weight: UInt32
        /// Slots the health view reads this set's health by (see `healthSlot(of:)`).
        @usableFromInline var slots: SetHealthSlots
        @usableFromInline var match: Match
    }

    /// How a member matches a client: what `code` holds.
    @usableFromInline enum Match: UInt8, Sendable {
        case none
        case subdivision, country, continent
        case cidrLocation
        /// A CIDR location too long to hold in `code`: `code` holds a hash of its name
        /// (`MatchCode.hash`), and only a set whose hash matches has its name compared
        /// (reading `sets`, which the query path otherwise leaves cold).
        case cidrLocationHashed
        /// A geolocation code too long to hold in `code`: matched by the strings in `sets`.
        case byName
    }

    /// `slots` gives, per set, the two slots its owner's health view reads its health by
    /// (its health check, its evaluated ALIAS target; -1 for none); the plan only keeps
    /// them next to what it reads itself.
    public init(policy: RoutingPolicy, sets: [SetRouting], slots: [(health: Int32, evaluated: Int32)] = []) {
        self.policy = policy
        self.sets = sets
        var members: [Member] = []
        members.reserveCapacity(sets.count)
        var geoDefault = -1, primary = -1, secondary = -1, cidrDefault = -1
        var regions: [String] = []
        var collection: String? = nil
        for (i, set) in sets.enumerated() {
            var member = Member(code: 0, weight: 0, slots: i < slots.count ? SetHealthSlots(health: slots[i].health, evaluated: slots[i].evaluated)
                                    : SetHealthSlots(health: -1, evaluated: -1), match: .none)
            switch set.rule {
            case .weighted(let w): member.weight = UInt32(w)
            case .geo(.anyLocation): geoDefault = i
            case .geo(.continent(let c)): member.set(MatchCode.place(c), .continent)
            case .geo(.country(let c)): member.set(MatchCode.place(c), .country)
            case .geo(.subdivision(let c, let s)): member.set(MatchCode.subdivision(country: c, code: s), .subdivision)
            case .failover(.primary): primary = i
            case .failover(.secondary): secondary = i
            case .latency(let region): regions.append(region)
            case .cidr(let c, let location):
                collection = c
                if let location {
                    if let code = MatchCode.place(location) {
                        member.set(code, .cidrLocation)
                    } else {
                        member.set(MatchCode.hash(location), .cidrLocationHashed)
                    }
                } else {
                    cidrDefault = i
                }
            case .simple, .multivalue: break
            }
            members.append(member)
        }
        self.members = members
        self.defaults = (Int32(geoDefault), Int32(primary), Int32(secondary), Int32(cidrDefault))
        self.latencyRegions = LatencyRegions(regions)
        self.cidrCollection = collection
    }

    /// The same plan in buffers of its own, allocated now: a loader that copies all its
    /// groups' plans one after another gets their per-query data side by side in memory,
    /// away from what only cold paths read.
    public func packed() -> RoutingPlan {
        RoutingPlan(copying: self)
    }

    private init(copying plan: RoutingPlan) {
        policy = plan.policy
        sets = plan.sets
        members = plan.members.map { $0 }
        defaults = plan.defaults
        latencyRegions = plan.latencyRegions.packed()
        cidrCollection = plan.cidrCollection
    }

    /// The slots the plan was given for set `index`.
    @inlinable public func slots(of index: Int) -> SetHealthSlots { members[index].slots }

    /// Whether set `i` is healthy, as `health` sees it (handed the set's slots).
    @inlinable @inline(__always)
    public func healthy<H: SetHealth>(_ i: Int, _ health: inout H) -> Bool {
        health.isHealthy(i, slots: members[i].slots)
    }

    /// The routing decision for one query: the policy's pick, the walk over unhealthy
    /// sets, and the last-resort rule, per ROUTE53.md §0–§1.
    public func select<H: SetHealth, R: RandomNumberGenerator, T: DecisionTrace>(
        client: inout ClientView, health: inout H, random: inout R, trace: inout T
    ) -> Selection {
        switch policy {
        case .simple: return members.isEmpty ? .none : Selection(0)
        case .weighted: return selectWeighted(health: &health, random: &random, trace: &trace)
        case .latency: return selectLatency(client: &client, health: &health, trace: &trace)
        case .geo: return selectGeolocation(client: &client, health: &health, trace: &trace)
        case .failover: return selectFailover(health: &health, trace: &trace)
        case .multivalue: return selectMultivalue(health: &health, random: &random, trace: &trace)
        case .cidr: return selectCIDR(client: &client, health: &health, trace: &trace)
        }
    }
}

extension RoutingPlan.Member {
    /// Holds `code` when it fits; a longer one is matched by name instead.
    mutating func set(_ code: UInt64?, _ kind: RoutingPlan.Match) {
        if let code {
            self.code = code
            match = kind
        } else {
            match = .byName
        }
    }
}

/// Which sets of a group answer: one for most policies, up to eight for multivalue, or
/// none (NODATA: geo or cidr with no match and no default). Held inline, with no array:
/// a selection is made, copied and counted once per routed answer.
public struct Selection: Sendable, Equatable {
    public var first: Int
    /// The further sets of a multivalue answer, in order (`furtherCount` of them).
    @usableFromInline var further: (Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0)
    /// How many further sets there are (at most seven: `RoutingPlan.multivalueLimit` in all).
    public private(set) var furtherCount = 0

    public static let furtherLimit = 7

    public init(_ index: Int, others: [Int] = []) {
        first = index
        for other in others { append(other) }
    }

    /// Adds a further set; at most `furtherLimit` of them.
    public mutating func append(_ index: Int) {
        precondition(furtherCount < Selection.furtherLimit, "a selection holds at most \(Selection.furtherLimit + 1) sets")
        let offset = furtherCount * MemoryLayout<Int32>.stride
        withUnsafeMutableBytes(of: &further) { $0.storeBytes(of: Int32(truncatingIfNeeded: index), toByteOffset: offset, as: Int32.self) }
        furtherCount += 1
    }

    public static let none = Selection(-1)

    public var isEmpty: Bool { first < 0 }

    /// The further sets as an array (cold paths).
    public var others: [Int] { (0..<furtherCount).map { self[$0 + 1] } }

    /// How many sets were chosen.
    @inlinable public var count: Int { first < 0 ? 0 : 1 + furtherCount }

    /// The `k`th chosen set (0 is `first`).
    @inlinable public subscript(k: Int) -> Int {
        if k == 0 { return first }
        precondition(k > 0 && k <= furtherCount, "selection index out of range")
        return withUnsafeBytes(of: further) { Int($0.load(fromByteOffset: (k - 1) * MemoryLayout<Int32>.stride, as: Int32.self)) }
    }

    public static func == (a: Selection, b: Selection) -> Bool {
        a.first == b.first && a.furtherCount == b.furtherCount && (0..<a.furtherCount).allSatisfy { a[$0 + 1] == b[$0 + 1] }
    }
}

/// The health of the sets of one group as the walk sees it: the set's health check, and
/// for an ALIAS with evaluate-target-health whether its target has a healthy answer.
/// `slots` are those the plan was built with for set `index`, handed over from the entry
/// the walk already reads so that the view need not look them up again.
public protocol SetHealth {
    mutating func isHealthy(_ index: Int, slots: SetHealthSlots) -> Bool
}

/// Where a set's health is kept, as its group's owner numbered it: its health check's
/// slot and its evaluated ALIAS target's slot, -1 for none.
public struct SetHealthSlots: Sendable, Equatable {
    public var health: Int32
    public var evaluated: Int32

    @inlinable
    public init(health: Int32, evaluated: Int32) {
        self.health = health
        self.evaluated = evaluated
    }
}

/// Every set healthy (a group with no health checks, or `check`'s view).
public struct AllSetsHealthy: SetHealth {
    public init() {}
    public func isHealthy(_ index: Int, slots: SetHealthSlots) -> Bool { true }
}
