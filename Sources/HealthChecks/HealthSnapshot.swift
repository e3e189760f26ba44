import Atomics
import Routing
import Zones

/// The effective state of every check at one moment: what the query path reads. Built by
/// the monitor after each change and swapped in whole.
public final class HealthSnapshot: HealthView, Sendable {
    public let effective: [String: Bool]
    /// The drill whose overrides apply, and the effective states without them.
    public let drill: String?
    public let withoutDrill: HealthSnapshot?

    public init(effective: [String: Bool], drill: (name: String, effective: [String: Bool])? = nil) {
        self.effective = effective
        self.drill = drill?.name
        self.withoutDrill = drill.map { HealthSnapshot(effective: $0.effective) }
    }

    public static let empty = HealthSnapshot(effective: [:])

    /// Unknown ids are healthy, like a set without a check (ROUTE53.md §0 item 3).
    public func isHealthy(_ id: String) -> Bool { effective[id] ?? true }
}

/// The published health snapshots, readable lock-free by the query path.
public final class HealthStore: HealthSource, Sendable {
    let store = SnapshotStore<HealthSnapshot>(HealthSnapshot.empty)

    public init() {}

    public var generation: UInt64 { store.generation }
    public var currentView: any HealthView { store.current }
    public var currentDrill: DrillBaseline? {
        let current = store.current
        guard let drill = current.drill, let without = current.withoutDrill else { return nil }
        return DrillBaseline(drill: drill, health: without)
    }
    public var current: HealthSnapshot { store.current }

    public func publish(_ snapshot: HealthSnapshot) { store.replace(snapshot) }
}
