import Foundation

/// `switchyard-bench`: the in-process benchmark's command line (see `InProcessBench`).
@main
struct SwitchyardBench {
    static let usage = """
        Usage: switchyard-bench [--names N] [--seconds S] [--queries Q] [--routed] [--dnssec] [--zone-dir DIR] [--json]
               switchyard-bench --parse FILE [--collect] [--json]
               switchyard-bench --presign DIR [--json]

        Generates a zone of N names (default 10000; with --routed, N routed groups of the
        weighted, latency and failover policies, all healthy), loads it through the zone
        loader, and answers Q distinct queries (default 200000) round and round for S
        seconds (default 5) through the server's query path on one thread, checking each
        answer. Prints load time, resident memory after load and at peak, and answers per
        second. --zone-dir keeps the generated zone there. --parse only times the zone-file
        parser on FILE (--collect: keeping every record, as the collecting parse does).
        Exits 1 when any answer is not what the generator expects. --dnssec signs the zone
        and compares DO=1 answers per second (cache warm) with unsigned ones, and times
        signing the listable answers ahead. --presign only loads the zones of DIR, signs
        their listable answers ahead with fresh keys, and prints the time and memory.
        """

    static func main() {
        var options = InProcessBench.Options()
        var json = false
        var parseFile: String?
        var collect = false
        var dnssec = false
        var presignFolder: String?
        var args = CommandLine.arguments.dropFirst()
        func value(_ flag: String) -> String {
            guard let next = args.popFirst() else { fail("\(flag) needs a value") }
            return next
        }
        func number(_ flag: String, _ range: ClosedRange<Double>) -> Double {
            let text = value(flag)
            guard let v = Double(text), range.contains(v) else {
                fail("\(flag) must be a number from \(plain(range.lowerBound)) to \(plain(range.upperBound)), not '\(text)'")
            }
            return v
        }
        while let arg = args.popFirst() {
            switch arg {
            case "--names": options.names = Int(number(arg, 1...50_000_000))
            case "--seconds": options.seconds = number(arg, 0.01...3600)
            case "--queries": options.queries = Int(number(arg, 1...10_000_000))
            case "--routed": options.routed = true
            case "--dnssec": dnssec = true
            case "--presign": presignFolder = value(arg)
            case "--zone-dir": options.zoneDirectory = value(arg)
            case "--json": json = true
            case "--parse": parseFile = value(arg)
            case "--collect": collect = true
            case "-h", "--help": print(usage); return
            default: fail("unknown argument '\(arg)'\n\(usage)")
            }
        }
        do {
            if let parseFile {
                let result = try InProcessBench.parse(file: parseFile, collect: collect)
                let peak = ProcessMemory.now().peak
                if json {
                    struct ParseReport: Codable {
                        var file: String, collect: Bool, records: Int, errors: Int, parseSeconds: Double, peakResident: Int?
                    }
                    print(try jsonLine(ParseReport(file: parseFile, collect: collect, records: result.records, errors: result.errors,
                                                   parseSeconds: result.seconds, peakResident: peak)))
                } else {
                    print("parse \(parseFile): \(result.records) records, \(result.errors) errors in \(format(result.seconds)) s (\(collect ? "collecting" : "streaming")), peak RSS \(mebibytes(peak))")
                }
                return
            }
            if let presignFolder {
                let report = try PresignBench.run(folder: presignFolder)
                if json {
                    print(try jsonLine(report))
                } else {
                    print("pre-signing \(presignFolder): \(report.zones) zone(s) loaded in \(format(report.loadSeconds)) s, \(report.presigned) signatures in \(format(report.presignSeconds)) s (again after a reload: \(format(report.rebuildSeconds)) s); resident \(mebibytes(report.residentLoaded)) loaded, \(mebibytes(report.residentSigned)) signed, peak \(mebibytes(report.peakResident))")
                }
                return
            }
            if dnssec {
                let report = try DNSSECBench.run(options)
                if json {
                    print(try jsonLine(report))
                } else {
                    print("""
                        zone            \(report.mode), \(report.names) names, \(report.distinctQueries) distinct queries
                        pre-signing     \(report.presigned) signatures in \(format(report.presignSeconds)) s
                        unsigned        \(Int(report.unsignedAnswersPerSecond)) answers/s
                        signed (DO=1)   \(Int(report.signedAnswersPerSecond)) answers/s, \(format(report.ratio))× unsigned, \(report.freshSignaturesTimed) fresh signatures while timed
                        wrong answers   \(report.wrong)\(report.firstWrong.map { " (first: \($0))" } ?? "")
                        """)
                }
                if report.wrong > 0 { exit(1) }
                return
            }
            let report = try InProcessBench.run(options)
            if json {
                print(try jsonLine(report))
            } else {
                print("""
                    zone            \(report.mode), \(report.names) names, \(report.records) records
                    load            \(format(report.loadSeconds)) s
                    RSS after load  \(mebibytes(report.residentAfterLoad))
                    peak RSS        \(mebibytes(report.peakResident))
                    answers/s       \(Int(report.answersPerSecond)) (\(report.answered) answers in \(format(report.answerSeconds)) s, \(report.distinctQueries) distinct queries)
                    wrong answers   \(report.wrong)\(report.firstWrong.map { " (first: \($0))" } ?? "")
                    """)
            }
            if report.wrong > 0 { exit(1) }
        } catch {
            fail("\(error)")
        }
    }

    static func jsonLine(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("switchyard-bench: \(message)\n".utf8))
        exit(2)
    }

    /// 1 rather than 1.0 for whole numbers.
    static func plain(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    static func mebibytes(_ bytes: Int?) -> String {
        guard let bytes else { return "n/a" }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
