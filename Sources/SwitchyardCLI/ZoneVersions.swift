import HealthChecks
import Synchronization
import Zones

/// The versions of the served zones for the instance's fleet report; a zone's digest is
/// worked out once per loaded version (it walks every record).
final class ZoneVersions: Sendable {
    let store: ZoneStore
    /// The zone is held with its digest so its identifier cannot be reused by a new zone.
    let digests = Mutex<[ObjectIdentifier: (zone: Zone, digest: String)]>([:])

    /// Whether versions are being worked out, and whether they were asked for again since.
    let publishing = Mutex<(running: Bool, again: Bool)>((false, false))

    /// Whether digests are worked out: only a fleet compares them. A zone of a million
    /// names takes a core for many seconds to digest, after every load.
    let withDigests: Bool

    init(store: ZoneStore, withDigests: Bool = true) {
        self.store = store
        self.withDigests = withDigests
    }

    /// Works out the versions away from the reload and the answers, and hands them to
    /// `body`; one at a time, so reloads in quick succession cost one digest of the latest
    /// zones rather than one each running side by side, each keeping its zone in memory.
    func publish(_ body: @escaping @Sendable (_ generation: UInt64, _ zones: [ZoneVersionReport]) async -> Void) {
        let start = publishing.withLock { state -> Bool in
            if state.running {
                state.again = true
                return false
            }
            state.running = true
            return true
        }
        guard start else { return }
        Task.detached(priority: .utility) {
            while true {
                let (generation, zones) = self.current()
                await body(generation, zones)
                let again = self.publishing.withLock { state -> Bool in
                    if state.again {
                        state.again = false
                        return true
                    }
                    state.running = false
                    return false
                }
                if !again { return }
            }
        }
    }

    /// The versions of the zones served now, and the store generation they belong to
    /// (reports computed at the same time are applied in generation order).
    func current() -> (generation: UInt64, zones: [ZoneVersionReport]) {
        let generation = store.generation
        let zones = store.current.zones
        let known = digests.withLock { $0 }
        var next: [ObjectIdentifier: (zone: Zone, digest: String)] = [:]
        let reports = zones.map { zone -> ZoneVersionReport in
            let id = ObjectIdentifier(zone)
            let digest = known[id]?.digest ?? (withDigests ? zone.contentDigest() : "")
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
