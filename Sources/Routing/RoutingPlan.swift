import DNSWire

/// A routed group's sets with everything the policy needs worked out at load: weights,
/// the geo match tables, the failover pair, the latency regions, the CIDR locations.
/// Selection reads it and allocates nothing for the single-answer policies. A class: the
/// query path reads it by reference instead of copying its tables.
public final class RoutingPlan: Sendable {
    public let policy: RoutingPolicy
    public let sets: [SetRouting]
    let weights: [UInt32]
    /// Country → subdivision → set (no string building per query).
    let geoSubdivision: [String: [String: Int]]
    let geoCountry: [String: Int]
    let geoContinent: [String: Int]
    let geoDefault: Int
    let primary: Int
    let secondary: Int
    /// The latency sets' regions, in set order.
    let latencyRegions: LatencyRegions
    let cidrCollection: String?
    let cidrLocations: [String: Int]
    let cidrDefault: Int

    public init(policy: RoutingPolicy, sets: [SetRouting]) {
        self.policy = policy
        self.sets = sets
        var weights: [UInt32] = []
        var subdivision: [String: [String: Int]] = [:], country: [String: Int] = [:], continent: [String: Int] = [:]
        var geoDefault = -1, primary = -1, secondary = -1, cidrDefault = -1
        var regions: [String] = []
        var collection: String? = nil
        var cidrLocations: [String: Int] = [:]
        for (i, set) in sets.enumerated() {
            switch set.rule {
            case .weighted(let w): weights.append(UInt32(w))
            case .geo(.anyLocation): geoDefault = i
            case .geo(.continent(let c)): continent[c] = i
            case .geo(.country(let c)): country[c] = i
            case .geo(.subdivision(let c, let s)): subdivision[c, default: [:]][s] = i
            case .failover(.primary): primary = i
            case .failover(.secondary): secondary = i
            case .latency(let region): regions.append(region)
            case .cidr(let c, let location):
                collection = c
                if let location { cidrLocations[location] = i } else { cidrDefault = i }
            case .simple, .multivalue: break
            }
        }
        self.weights = weights
        self.geoSubdivision = subdivision
        self.geoCountry = country
        self.geoContinent = continent
        self.geoDefault = geoDefault
        self.primary = primary
        self.secondary = secondary
        self.latencyRegions = LatencyRegions(regions)
        self.cidrCollection = collection
        self.cidrLocations = cidrLocations
        self.cidrDefault = cidrDefault
    }

    /// The routing decision for one query: the policy's pick, the walk over unhealthy
    /// sets, and the last-resort rule, per ROUTE53.md §0–§1.
    public func select<H: SetHealth, R: RandomNumberGenerator, T: DecisionTrace>(
        client: inout ClientView, health: inout H, random: inout R, trace: inout T
    ) -> Selection {
        switch policy {
        case .simple: return sets.isEmpty ? .none : Selection(0)
        case .weighted: return selectWeighted(health: &health, random: &random, trace: &trace)
        case .latency: return selectLatency(client: &client, health: &health, trace: &trace)
        case .geo: return selectGeolocation(client: &client, health: &health, trace: &trace)
        case .failover: return selectFailover(health: &health, trace: &trace)
        case .multivalue: return selectMultivalue(health: &health, random: &random, trace: &trace)
        case .cidr: return selectCIDR(client: &client, health: &health, trace: &trace)
        }
    }
}

/// Which sets of a group answer: one for most policies, up to eight for multivalue, or
/// none (NODATA: geo or cidr with no match and no default).
public struct Selection: Sendable, Equatable {
    public var first: Int
    /// Further sets for multivalue answers; empty (no allocation) otherwise.
    public var others: [Int]

    public init(_ index: Int, others: [Int] = []) {
        first = index
        self.others = others
    }

    public static let none = Selection(-1)

    public var isEmpty: Bool { first < 0 }

    /// How many sets were chosen.
    @inlinable public var count: Int { first < 0 ? 0 : 1 + others.count }

    /// The `k`th chosen set (0 is `first`), without building an array.
    @inlinable public subscript(k: Int) -> Int { k == 0 ? first : others[k - 1] }
}

/// The health of the sets of one group as the walk sees it: the set's health check, and
/// for an ALIAS with evaluate-target-health whether its target has a healthy answer.
public protocol SetHealth {
    mutating func isHealthy(_ index: Int) -> Bool
}

/// Every set healthy (a group with no health checks, or `check`'s view).
public struct AllSetsHealthy: SetHealth {
    public init() {}
    public func isHealthy(_ index: Int) -> Bool { true }
}
