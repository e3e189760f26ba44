import Authority
import DNSSEC
import DNSWire
import Foundation
import Zones

/// What signing a zone folder's listable answers ahead costs (SPEC §10): each zone gets a
/// fresh P-256 key, then `PresignedAnswers.build` runs once on this thread, as the server's
/// pre-signing thread does when zones load, timed, with resident memory before and after.
public enum PresignBench {
    public struct Report: Sendable, Codable {
        public var folder: String
        public var zones: Int
        public var loadSeconds: Double
        public var presignSeconds: Double
        public var presigned: Int
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
        return withExtendedLifetime(table) {
            Report(folder: folder, zones: zones.zones.count, loadSeconds: loadSeconds, presignSeconds: seconds,
                   presigned: table.count, residentLoaded: loaded, residentSigned: memory.resident, peakResident: memory.peak)
        }
    }
}
