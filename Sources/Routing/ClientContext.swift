import DNSWire

/// Who is asking, for the policies that depend on it: the EDNS Client Subnet when the query
/// carries one with a source prefix above 0 (RFC 7871 §7.1.1), else the source address.
public struct ClientContext: Sendable, Hashable {
    /// The transport source address of the query.
    public var source: IPAddress
    /// The Client Subnet option of the query, if any (even with source prefix 0).
    public var subnet: ClientSubnet?

    public init(source: IPAddress, subnet: ClientSubnet? = nil) {
        self.source = source.unmapped
        self.subnet = subnet
    }

    /// The prefix that stands for the client: the ECS subnet when its source prefix is
    /// above 0, otherwise the source address as a full-length prefix.
    public var prefix: IPPrefix {
        if let subnet, subnet.sourcePrefixLength > 0 { return subnet.sourcePrefix }
        return IPPrefix(address: source, length: source.bitWidth)
    }

    /// True when the decision is made from ECS data rather than the source address.
    public var usesSubnet: Bool { (subnet?.sourcePrefixLength ?? 0) > 0 }
}

/// The health of every health check as last observed (with overrides applied), read by
/// the policies. Implementations are immutable snapshots: never probed per query.
public protocol HealthView: Sendable {
    /// Whether the check with `id` counts as healthy now. Unknown ids count as healthy,
    /// like a set without a check.
    func isHealthy(_ id: String) -> Bool
}

/// A health view in which every check is healthy: the state before any result arrives
/// (SPEC §3: a check starts healthy) and what `check` assumes.
public struct AllHealthy: HealthView {
    public init() {}
    public func isHealthy(_ id: String) -> Bool { true }
}

/// A fixed table of states, for tests and for `explain` with overrides.
public struct FixedHealth: HealthView {
    public var states: [String: Bool]
    public init(_ states: [String: Bool]) { self.states = states }
    public func isHealthy(_ id: String) -> Bool { states[id] ?? true }
}

/// Where the query path gets the current health view: a store the health checker
/// publishes to, read by generation so a reader re-fetches only after a change.
public protocol HealthSource: Sendable {
    var generation: UInt64 { get }
    var currentView: any HealthView { get }
    /// While a drill's overrides apply: the health every check would have without them,
    /// published with `currentView` (same generation).
    var currentDrill: DrillBaseline? { get }
}

extension HealthSource {
    public var currentDrill: DrillBaseline? { nil }
}

/// The health view without the overrides of the drill in progress: the query path asks
/// it too, until each routed name has once answered differently, to note when a drill
/// first moved the name's answers.
public struct DrillBaseline: Sendable {
    public let drill: String
    public let health: any HealthView

    public init(drill: String, health: any HealthView) {
        self.drill = drill
        self.health = health
    }
}

/// A health source that never changes (every check healthy unless told otherwise).
public struct StaticHealthSource: HealthSource {
    public let view: any HealthView
    public init(_ view: any HealthView = AllHealthy()) { self.view = view }
    public var generation: UInt64 { 0 }
    public var currentView: any HealthView { view }
}
