import Authority
import DNSSEC
import DNSServer
import DNSWire
import Foundation
import Routing
import Zones

/// The signing figures (SPEC §10): the same generated zone and queries answered unsigned,
/// then signed for DO=1 queries with a warm signature cache, then unsigned again (the
/// machine may be busy: the ratio compares runs made back to back), and how long signing
/// the zone's listable answers ahead takes.
public enum DNSSECBench {
    public struct Report: Sendable, Codable {
        public var mode: String
        public var names: Int
        public var distinctQueries: Int
        /// Time to sign every listable answer ahead, and how many signatures that made.
        public var presignSeconds: Double
        public var presigned: Int
        public var unsignedAnswersPerSecond: Double
        public var signedAnswersPerSecond: Double
        public var ratio: Double
        /// Signatures made online during the timed signed run (0 when the cache is warm).
        public var freshSignaturesTimed: Int
        public var wrong: Int
        public var firstWrong: String?
    }

    public static func run(_ options: InProcessBench.Options) throws -> Report {
        let folder = options.zoneDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("switchyard-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if options.zoneDirectory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let origin = options.routed ? RoutedBenchZone.origin : BenchZone.origin
        let queries: QueryList
        if options.routed {
            let zone = RoutedBenchZone(names: options.names)
            try InProcessBench.write(folder + "/" + origin + "zone") { zone.write(to: $0) }
            queries = zone.queries(count: options.queries)
        } else {
            let zone = BenchZone(names: options.names)
            try InProcessBench.write(folder + "/" + origin + "zone") { zone.write(to: $0) }
            queries = zone.queries(count: options.queries)
        }
        let (zones, _) = try InProcessBench.load(folder: folder)

        let plain = QueryEngine(authority: Authority(), zones: ZoneStore(zones))
        let before = InProcessBench.answer(queries, engine: plain, seconds: options.seconds)

        let keys = ZoneKeys([ZoneSigningKey.generate(zone: try DomainName(origin, origin: .root))], signaturesPerSecond: 0)
        let signedEngine = QueryEngine(authority: Authority(), zones: ZoneStore(zones), zoneKeys: keys,
                                       signatureCacheSize: 2 * queries.count + 1_000)
        let clock = ContinuousClock()
        let start = clock.now
        signedEngine.presigned?.refresh(zones: zones, keys: keys, now: UInt32(truncatingIfNeeded: time(nil)))
        let presignSeconds = (clock.now - start).seconds
        // DO and CO: a client that reads compact denial gets NXDOMAIN, as the checks expect.
        let signedQueries = queries.withOPT(ednsFlags: 0xC000)
        let responder = QueryResponder(engine: signedEngine, random: SplitMix64(seed: 1))
        _ = InProcessBench.answer(signedQueries, engine: signedEngine, seconds: 3_600, maximumAnswers: signedQueries.count, responder: responder)
        let warm = responder.signer?.signaturesMade ?? 0
        let signed = InProcessBench.answer(signedQueries, engine: signedEngine, seconds: options.seconds, responder: responder)
        let fresh = (responder.signer?.signaturesMade ?? 0) - warm

        let after = InProcessBench.answer(queries, engine: plain, seconds: options.seconds)
        func rate(_ a: InProcessBench.Answers) -> Double { a.seconds > 0 ? Double(a.answered) / a.seconds : 0 }
        let unsignedRate = (rate(before) + rate(after)) / 2
        return Report(mode: options.routed ? "routed" : "plain", names: options.names, distinctQueries: queries.count,
                      presignSeconds: presignSeconds, presigned: signedEngine.presigned?.current.count ?? 0,
                      unsignedAnswersPerSecond: unsignedRate, signedAnswersPerSecond: rate(signed),
                      ratio: unsignedRate > 0 ? rate(signed) / unsignedRate : 0, freshSignaturesTimed: fresh,
                      wrong: before.wrong + signed.wrong + after.wrong,
                      firstWrong: signed.firstWrong ?? before.firstWrong ?? after.firstWrong)
    }
}
