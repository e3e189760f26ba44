import Authority
import DNSSEC
import DNSWire
import Foundation
import Zones

/// What signing a zone folder's listable answers ahead costs (SPEC §10): each zone gets a
/// fresh P-256 key, then `PresignedAnswers.build` runs on this thread, as the server's
/// pre-signing thread does when zones load, timed, with resident memory before and after;
/// then once more over the zones loaded again, from the first table, as after a reload.
public enum PresignBench {
    public struct Report: Sendable, Codable {
        public var folder: String
        public var zones: Int
        public var loadSeconds: Double
        public var presignSeconds: Double
        public var presigned: Int
        /// The same zones loaded again and signed ahead from the first table, as after a reload.
        public var rebuildSeconds: Double
        /// Resident bytes with the zones loaded, and with their signatures made as well.
        public var residentLoaded: Int?
        public var residentSigned: Int?
        public var peakResident: Int?
    }

    public static func run(folder: String) throws -> Report {
        let (zones, loadSeconds) = try InProcessBench.load(folder: folder)
        let loaded = ProcessMemory.now().resident
        let keys = ZoneKeys(zones.zones.map { ZoneSigningKey.generate(zone: $0.origin) }, signaturesPerSecond: 0)
        let clock = ContinuousClock()
        let start = clock.now
        let table = PresignedAnswers.build(zones: zones, keys: keys, window: SignatureWindow(now: UInt32(truncatingIfNeeded: time(nil))))
        let seconds = (clock.now - start).seconds
        let memory = ProcessMemory.now()
        let (reloaded, _) = try InProcessBench.load(folder: folder)
        let again = clock.now
        let rebuilt = PresignedAnswers.build(zones: reloaded, keys: keys, window: table.window!, previous: table)
        let rebuildSeconds = (clock.now - again).seconds
        return withExtendedLifetime((table, rebuilt)) {
            Report(folder: folder, zones: zones.zones.count, loadSeconds: loadSeconds, presignSeconds: seconds,
                   presigned: table.count, rebuildSeconds: rebuildSeconds, residentLoaded: loaded, residentSigned: memory.resident,
                   peakResident: ProcessMemory.now().peak)
        }
    }
}
