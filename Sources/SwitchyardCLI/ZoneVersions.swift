import HealthChecks
import Synchronization
import Zones

/// The versions of the served zones for the instance's fleet report; a zone's digest is
/// worked out once per loaded version (it walks every record).
final class ZoneVersions: Sendable {
    let store: ZoneStore
    /// The zone is held with its digest so its identifier cannot be reused by a new zone.
    let digests = Mutex<[ObjectIdentifier: (zone: Zone, digest: String)]>([:])

    init(store: ZoneStore) { self.store = store }

    /// The versions of the zones served now, and the store generation they belong to
    /// (reports computed at the same time are applied in generation order).
    func current() -> (generation: UInt64, zones: [ZoneVersionReport]) {
        let generation = store.generation
        let zones = store.current.zones
        let known = digests.withLock { $0 }
        var next: [ObjectIdentifier: (zone: Zone, digest: String)] = [:]
        let reports = zones.map { zone -> ZoneVersionReport in
            let id = ObjectIdentifier(zone)
            let digest = known[id]?.digest ?? zone.contentDigest()
            next[id] = (zone, digest)
            return ZoneVersionReport(origin: zone.origin.description, serial: zone.serial, digest: digest)
        }
        digests.withLock { $0 = next }
        return (generation, reports.sorted { $0.origin < $1.origin })
    }

    /// The commit every served zone comes from; nil for folders, and while zones come from
    /// different commits (a commit whose zone failed keeps that zone's previous version).
    static func servedCommit(_ entries: [ZoneCatalog.Entry]) -> String? {
        let served = entries.filter { $0.zone != nil }
        let commits = Set(served.map(\.commit))
        guard commits.count == 1, let only = commits.first else { return nil }
        return only
    }
}
