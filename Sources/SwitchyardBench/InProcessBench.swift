import Authority
import DNSServer
import DNSWire
import Foundation
import NIOCore
import Routing
import ZoneFile
import Zones
import ZoneSources

/// The in-process benchmark: writes a generated zone to a folder, loads it through the
/// loader `serve` and `check` use, and answers a query list through the server's own
/// per-query path (`QueryEngine.respond`) on one thread, checking every answer against
/// what the generator expects. No sockets, no outside tool: a regression in load time,
/// memory or answers per second shows on any machine.
public enum InProcessBench {
    /// What a run is asked to do.
    public struct Options: Sendable {
        /// Names in the zone (hosts and CNAMEs; routed groups with `routed`).
        public var names = 10_000
        /// How long to answer queries.
        public var seconds = 5.0
        /// Distinct queries, answered round and round.
        public var queries = 200_000
        /// The routed zone instead of the plain one.
        public var routed = false
        /// Where to write the zone (kept); nil: a temporary folder, removed afterwards.
        public var zoneDirectory: String?
        /// Stops answering after this many queries even if time is left.
        public var maximumAnswers = 1_000_000_000

        public init() {}
    }

    /// What a run measured.
    public struct Report: Sendable, Codable {
        public var mode: String
        public var names: Int
        public var records: Int
        public var loadSeconds: Double
        public var residentAfterLoad: Int?
        public var peakResident: Int?
        public var distinctQueries: Int
        public var answered: Int
        public var answerSeconds: Double
        public var answersPerSecond: Double
        /// Answers that were not what the generator expects (the run fails when any).
        public var wrong: Int
        public var firstWrong: String?
    }

    /// Why a run could not be made (a zone that did not load, a file not written).
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(_ options: Options) throws -> Report {
        let folder = options.zoneDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("switchyard-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if options.zoneDirectory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let zone = BenchZone(names: options.names)
        let routed = RoutedBenchZone(names: options.names)
        if options.routed {
            try write(folder + "/" + RoutedBenchZone.origin + "zone") { routed.write(to: $0) }
        } else {
            try write(folder + "/" + BenchZone.origin + "zone") { zone.write(to: $0) }
        }

        let (zones, loadSeconds) = try load(folder: folder)
        let memory = ProcessMemory.now()
        let queries = options.routed ? routed.queries(count: options.queries) : zone.queries(count: options.queries)
        let engine = QueryEngine(authority: Authority(), zones: ZoneStore(zones))
        let answers = answer(queries, engine: engine, seconds: options.seconds, maximumAnswers: options.maximumAnswers)
        return Report(mode: options.routed ? "routed" : "plain", names: options.names, records: zones.recordCount,
                      loadSeconds: loadSeconds, residentAfterLoad: memory.resident, peakResident: memory.peak,
                      distinctQueries: queries.count, answered: answers.answered, answerSeconds: answers.seconds,
                      answersPerSecond: answers.seconds > 0 ? Double(answers.answered) / answers.seconds : 0,
                      wrong: answers.wrong, firstWrong: answers.firstWrong)
    }

    /// Streams a generator's text into `path`.
    static func write(_ path: String, _ generate: ((String) -> Void) -> Void) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw Failure(description: "cannot write \(path)")
        }
        defer { try? handle.close() }
        var failure: Error?
        generate { text in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: Data(text.utf8)) } catch { failure = error }
        }
        if let failure { throw Failure(description: "cannot write \(path): \(failure)") }
    }

    /// Loads every zone of `folder` as `switchyard check` and `serve` do; any error fails.
    public static func load(folder: String) throws -> (ZoneSet, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let load = try ZoneSetLoader().load(from: FolderZoneSource(paths: [folder]))
        let elapsed = clock.now - start
        for report in load.reports where !report.succeeded {
            let first = report.errors.first.map(\.description) ?? "zone not loaded"
            throw Failure(description: "\(report.file): \(first)")
        }
        guard !load.reports.isEmpty else { throw Failure(description: "\(folder): no *.zone files") }
        return (ZoneSet(zones: load.reports.compactMap(\.zone)), elapsed.seconds)
    }

    /// What answering measured: answers that were right, the time taken, and the wrong ones.
    public struct Answers: Sendable {
        public var answered: Int
        public var seconds: Double
        public var wrong: Int
        public var firstWrong: String?
    }

    /// Answers `queries` round and round on this thread for `seconds` (or until
    /// `maximumAnswers`), checking each response against its expectation.
    public static func answer(_ queries: QueryList, engine: QueryEngine, seconds: Double,
                              maximumAnswers: Int = 1_000_000_000, responder given: QueryResponder? = nil) -> Answers {
        guard queries.count > 0 else { return Answers(answered: 0, seconds: 0, wrong: 0) }
        let responder = given ?? QueryResponder(engine: engine, random: SplitMix64(seed: 1))
        let source = IPAddress("192.0.2.1")!
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        var answered = 0
        var wrong = 0
        var firstWrong: String?
        var index = 0
        outer: while answered < maximumAnswers {
            // The clock is read once per batch so that it costs nothing per query.
            for _ in 0..<256 {
                let sent = responder.respond(to: queries.message(index), from: source, transport: .udp)
                let expected = queries.expected[index]
                if sent, expected.matches(responder.reply) {
                    answered += 1
                } else {
                    wrong += 1
                    if firstWrong == nil { firstWrong = "\(queries.question(index)): expected \(expected)" }
                }
                index += 1
                if index == queries.count { index = 0 }
                if answered + wrong >= maximumAnswers { break outer }
            }
            if clock.now >= deadline { break }
        }
        return Answers(answered: answered, seconds: (clock.now - start).seconds, wrong: wrong, firstWrong: firstWrong)
    }

    /// Parses one zone file and drops the records (`collect`: keeps them, as the
    /// collecting `parse` does); the zone-file parser's own figure.
    public static func parse(file: String, collect: Bool) throws -> (records: Int, errors: Int, seconds: Double) {
        guard let data = FileManager.default.contents(atPath: file) else { throw Failure(description: "cannot read \(file)") }
        let bytes = [UInt8](data)
        let origin = try DomainName(ZoneSetLoader.origin(forFile: file), origin: .root)
        let parser = ZoneFileParser()
        let clock = ContinuousClock()
        let start = clock.now
        var records = 0
        let parsed: ParsedZoneFile
        if collect {
            parsed = parser.parse(file: file, bytes: bytes, fileOrigin: origin)
            records = parsed.records.count
        } else {
            parsed = parser.parse(file: file, bytes: bytes, fileOrigin: origin) { _, _ in records += 1 }
        }
        let elapsed = (clock.now - start).seconds
        return (records, parsed.diagnostics.filter { $0.severity == .error }.count, elapsed)
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
