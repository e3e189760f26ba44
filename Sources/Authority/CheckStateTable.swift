import Routing
import Zones

/// The state of every health check the zones' routed sets name, read by slot: each zone's
/// `healthCheckSlots` in a row, worked out once per zone set and health snapshot, so the
/// walk over a group's sets reads an array instead of hashing a check's id per set.
public struct CheckStateTable: Sendable {
    /// Per zone of the set: where its slots start in `healthy`.
    let bases: [Int]
    let healthy: [Bool]

    public init(zones: ZoneSet, health: any HealthView) {
        var bases: [Int] = []
        var healthy: [Bool] = []
        bases.reserveCapacity(zones.zones.count)
        for zone in zones.zones {
            bases.append(healthy.count)
            for id in zone.healthCheckSlots { healthy.append(health.isHealthy(id)) }
        }
        self.bases = bases
        self.healthy = healthy
    }

    /// The state of check `slot` of zone `zone` (its position in the zone set).
    @inline(__always)
    func isHealthy(zone: Int, slot: Int32) -> Bool {
        healthy[bases[zone] + Int(slot)]
    }
}

/// A snapshot's tables of set health in one object: the walk over a group's sets holds
/// it without counting a reference per table (or copying the snapshot).
public final class SetHealthTables: @unchecked Sendable {
    /// The state of every check a routed set names.
    public let checkStates: CheckStateTable
    /// The health of every evaluated ALIAS target, worked out from those states.
    public let aliasHealth: AliasHealthTable
    /// `checkStates` again, in memory this object owns, so that a decision's walk reads
    /// it through a plain pointer (`GroupHealth`), taking no reference on an array per
    /// set it asks about. Written once here, read-only after (hence unchecked Sendable).
    let checkHealthy: UnsafeMutableBufferPointer<Bool>
    let checkBases: UnsafeMutableBufferPointer<Int>
    /// How many entries of `checkBases` are zones' (it holds at least one).
    let zoneCount: Int

    init(zones: ZoneSet, health: any HealthView) {
        checkStates = CheckStateTable(zones: zones, health: health)
        aliasHealth = AliasHealthTable(zones: zones, checks: checkStates)
        checkHealthy = .allocate(capacity: max(1, checkStates.healthy.count))
        checkHealthy.initialize(repeating: true)
        for (i, state) in checkStates.healthy.enumerated() { checkHealthy[i] = state }
        checkBases = .allocate(capacity: max(1, checkStates.bases.count))
        checkBases.initialize(repeating: 0)
        for (i, base) in checkStates.bases.enumerated() { checkBases[i] = base }
        zoneCount = checkStates.bases.count
    }

    deinit {
        checkHealthy.deallocate()
        checkBases.deallocate()
    }
}
