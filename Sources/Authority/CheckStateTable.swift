import Routing
import Zones

/// The state of every health check the zones' routed sets name, read by slot: each zone's
/// `healthCheckSlots` in a row, worked out once per zone set and health snapshot, so the
/// walk over a group's sets reads a table instead of hashing a check's id per set.
///
/// The states live in memory this object owns, so that a decision's walk reads them
/// through a plain pointer (`GroupHealth`), taking no reference on an array per set it
/// asks about. Written once in `init`, read-only after (hence unchecked Sendable).
public final class CheckStateTable: @unchecked Sendable {
    /// Per zone of the set: where its slots start in `healthy` (at least one entry).
    let bases: UnsafeMutableBufferPointer<Int>
    /// At least one entry, so that a zone without checks still has a pointer to hand out.
    let healthy: UnsafeMutableBufferPointer<Bool>
    /// How many entries of `bases` are zones'.
    let zoneCount: Int

    public init(zones: ZoneSet, health: any HealthView) {
        var bases: [Int] = []
        var healthy: [Bool] = []
        bases.reserveCapacity(zones.zones.count)
        for zone in zones.zones {
            bases.append(healthy.count)
            for id in zone.healthCheckSlots { healthy.append(health.isHealthy(id)) }
        }
        zoneCount = bases.count
        self.bases = .allocate(capacity: max(1, bases.count))
        self.bases.initialize(repeating: 0)
        _ = self.bases.update(fromContentsOf: bases)
        self.healthy = .allocate(capacity: max(1, healthy.count))
        self.healthy.initialize(repeating: true)
        _ = self.healthy.update(fromContentsOf: healthy)
    }

    deinit {
        bases.deallocate()
        healthy.deallocate()
    }

    /// The state of check `slot` of zone `zone` (its position in the zone set).
    @inline(__always)
    func isHealthy(zone: Int, slot: Int32) -> Bool {
        healthy[bases[zone] + Int(slot)]
    }

    /// The states of zone `zone`'s checks, by slot: valid while this table lives.
    @inline(__always)
    func states(ofZone zone: Int) -> UnsafePointer<Bool> {
        // A zone without checks has no slot to read: any base will do.
        UnsafePointer(healthy.baseAddress! + (zone < zoneCount ? bases[zone] : 0))
    }
}

/// A snapshot's tables of set health in one object: the walk over a group's sets holds
/// it without counting a reference per table (or copying the snapshot).
public final class SetHealthTables: Sendable {
    /// The state of every check a routed set names.
    public let checkStates: CheckStateTable
    /// The health of every evaluated ALIAS target, worked out from those states.
    public let aliasHealth: AliasHealthTable

    init(zones: ZoneSet, health: any HealthView) {
        checkStates = CheckStateTable(zones: zones, health: health)
        aliasHealth = AliasHealthTable(zones: zones, checks: checkStates)
    }
}
