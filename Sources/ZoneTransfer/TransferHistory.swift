import DNSWire
import Synchronization
import Zones

/// The versions of each plain zone kept in memory for IXFR: the last changes, each as a
/// `ZoneDelta`, bounded in count and in octets. Updated when a zone set is published
/// (off the query path); read by transfer requests, under a lock no query takes.
public final class TransferHistory: Sendable {
    public let maximumChanges: Int
    public let maximumBytes: Int

    struct Versions {
        /// The last version seen: the next difference starts from it.
        var latest: Zone
        /// Oldest first; each starts at the serial the one before it ends at.
        var deltas: [ZoneDelta]
        var bytes: Int
    }

    let state = Mutex<[DomainName: Versions]>([:])

    public init(maximumChanges: Int = 16, maximumBytes: Int = 64 << 20) {
        self.maximumChanges = maximumChanges
        self.maximumBytes = maximumBytes
    }

    /// Takes in a published zone set: a plain zone whose serial moved gets the difference
    /// from its last version appended; zones that are gone, or now routed, are forgotten.
    /// Returns the plain zones whose serial changed (or that are new): those to NOTIFY.
    @discardableResult
    public func publish(_ zones: ZoneSet, where transferable: (Zone) -> Bool = ZoneTransferService.isPlain) -> [Zone] {
        let previous = state.withLock { $0 }
        var next: [DomainName: Versions] = [:]
        var changed: [Zone] = []
        for zone in zones.zones where transferable(zone) {
            guard var versions = previous[zone.origin] else {
                next[zone.origin] = Versions(latest: zone, deltas: [], bytes: 0)
                changed.append(zone)
                continue
            }
            let oldSerial = versions.latest.serial
            if oldSerial == zone.serial {
                next[zone.origin] = versions
                continue
            }
            changed.append(zone)
            if SerialNumber(zone.serial) > SerialNumber(oldSerial) {
                let delta = ZoneDelta(from: versions.latest, to: zone)
                versions.deltas.append(delta)
                versions.bytes += delta.footprint
                while versions.deltas.count > maximumChanges || (versions.bytes > maximumBytes && !versions.deltas.isEmpty) {
                    versions.bytes -= versions.deltas.removeFirst().footprint
                }
            } else {
                // A serial that went back breaks the chain: secondaries must start over (AXFR).
                versions.deltas = []
                versions.bytes = 0
            }
            versions.latest = zone
            next[zone.origin] = versions
        }
        state.withLock { $0 = next }
        return changed
    }

    /// The steps from `serial` up to `current`'s serial, when the history holds them all.
    public func deltas(of current: Zone, from serial: UInt32) -> [ZoneDelta]? {
        state.withLock { state -> [ZoneDelta]? in
            guard let versions = state[current.origin], versions.latest.serial == current.serial,
                  let start = versions.deltas.firstIndex(where: { $0.fromSerial == serial }) else { return nil }
            return Array(versions.deltas[start...])
        }
    }

    /// Steps held for `origin` (for tests and logs).
    public func changeCount(of origin: DomainName) -> Int {
        state.withLock { $0[origin]?.deltas.count ?? 0 }
    }

    public func byteCount(of origin: DomainName) -> Int {
        state.withLock { $0[origin]?.bytes ?? 0 }
    }
}

/// RFC 1982 serial number arithmetic on SOA serials.
struct SerialNumber: Comparable {
    let value: UInt32
    init(_ value: UInt32) { self.value = value }

    static func < (a: SerialNumber, b: SerialNumber) -> Bool {
        a.value != b.value && (b.value &- a.value) < 0x8000_0000
    }
}
