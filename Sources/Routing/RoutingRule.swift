/// The routing policy of a record set group (Route 53's routing policy per name and type).
public enum RoutingPolicy: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case simple
    case weighted
    case latency
    case geo
    case failover
    case multivalue
    case cidr

    public var description: String { rawValue }
}

/// The role of a set in a failover pair (ROUTE53.md §1.5).
public enum FailoverRole: String, Hashable, Sendable {
    case primary
    case secondary
}

/// The location a geolocation set answers for (ROUTE53.md §1.4), most specific last.
public enum GeoLocationRule: Hashable, Sendable, CustomStringConvertible {
    /// `country=*`: every location without a more specific set, and unknown locations.
    case anyLocation
    case continent(String)
    case country(String)
    case subdivision(country: String, code: String)

    public var description: String {
        switch self {
        case .anyLocation: return "country=*"
        case .continent(let c): return "continent=\(c)"
        case .country(let c): return "country=\(c)"
        case .subdivision(let c, let s): return "country=\(c) subdivision=\(s)"
        }
    }
}

/// What one record set's routing block says it answers for.
public enum RoutingRule: Hashable, Sendable {
    case simple
    case weighted(weight: UInt8)
    case latency(region: String)
    case geo(GeoLocationRule)
    case failover(FailoverRole)
    case multivalue
    /// `location` nil is the collection's default, `location=*`.
    case cidr(collection: String, location: String?)

    public var policy: RoutingPolicy {
        switch self {
        case .simple: return .simple
        case .weighted: return .weighted
        case .latency: return .latency
        case .geo: return .geo
        case .failover: return .failover
        case .multivalue: return .multivalue
        case .cidr: return .cidr
        }
    }
}

/// The routing identity of one record set: Route 53's SetIdentifier, rule, health check
/// and evaluate-target-health flag.
public struct SetRouting: Hashable, Sendable {
    public var id: String
    public var rule: RoutingRule
    public var healthCheckID: String?
    public var evaluateTargetHealth: Bool

    public init(id: String, rule: RoutingRule, healthCheckID: String? = nil, evaluateTargetHealth: Bool = false) {
        self.id = id
        self.rule = rule
        self.healthCheckID = healthCheckID
        self.evaluateTargetHealth = evaluateTargetHealth
    }

    /// A simple record set: no id, no health check.
    public static let simple = SetRouting(id: "", rule: .simple)

    /// The attributes in zone-file form, as `check --print` shows them after `;`.
    public var attributeText: String {
        var parts: [String] = [rule.policy.rawValue, "id=\(id)"]
        switch rule {
        case .simple: return ""
        case .weighted(let w): parts.append("weight=\(w)")
        case .latency(let r): parts.append("region=\(r)")
        case .geo(let g): parts.append(g.description)
        case .failover(let role): parts.append("role=\(role.rawValue)")
        case .multivalue: break
        case .cidr(let c, let l): parts.append("collection=\(c) location=\(l ?? "*")")
        }
        if let healthCheckID { parts.append("health=\(healthCheckID)") }
        if evaluateTargetHealth { parts.append("evaluate-target-health=true") }
        return parts.joined(separator: " ")
    }
}
