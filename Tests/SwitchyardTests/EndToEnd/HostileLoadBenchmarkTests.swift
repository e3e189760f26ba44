import Foundation
import Testing

/// The hostile-load benchmark (`Benchmarks/hostile-load.py`) in its smoke mode against the
/// built binary, so the instrument behind the hardening figures cannot rot: it must start
/// the server, run every attack, measure legitimate answers in every phase and report them
/// as JSON.
struct HostileLoadBenchmarkTests {
    static let script = RepositoryLayout.root.appendingPathComponent("Benchmarks/hostile-load.py")
    static let python = ExternalTool.find("python3")

    /// The part of the script's `--json` result this test reads.
    struct Report: Decodable {
        struct Phase: Decodable {
            var phase: String
            var kind: String
            var qps: Double
            var alive: Bool
            var attack: Attack?
        }

        /// Attack-side counts; which ones are present depends on the phase.
        struct Attack: Decodable {
            var openPeak: Int?
            var connectsAttempted: Int?
            var sent: Int?
            var distinctQtypes: Int?
            var kinds: [String: BombKind]?
        }

        struct BombKind: Decodable {
            var sent: Int
        }

        var generator: String
        var serverAlive: Bool
        var exitStatus: Int
        var phases: [Phase]
        var ratios: [String: Double?]
    }

    @Test(.enabled(if: HostileLoadBenchmarkTests.python != nil, "python3 is not installed (Debian package python3)"),
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/stat"), "Linux only: the script reads /proc"))
    func smokeRunMeasuresLegitimateAnswersInEveryPhase() async throws {
        let switchyard = try #require(RepositoryLayout.switchyard, "the switchyard binary is missing and could not be built")
        let scratch = try TemporaryFolder(prefix: "hostile-load")
        defer { scratch.remove() }
        let resultFile = scratch.file("result.json")
        let run = try await ExternalTool.run(try #require(Self.python), [
            Self.script.path, "--smoke", "--binary", switchyard, "--json", resultFile.path,
        ], in: RepositoryLayout.root, timeout: .seconds(120))
        let output = run.stdout + run.stderr
        #expect(run.status == 0, "hostile-load.py --smoke failed:\n\(output)")

        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let report = try decoder.decode(Report.self, from: Data(contentsOf: resultFile))
        #expect(report.serverAlive)
        #expect(report.exitStatus == 0)
        #expect(["dnsperf", "python"].contains(report.generator))
        #expect(report.phases.map(\.phase) == ["quiet-1", "slow-tcp", "quiet-2", "qtype-sweep", "quiet-3", "bombs", "quiet-4"])
        for phase in report.phases {
            #expect(phase.qps > 0, "no legitimate answers in phase \(phase.phase):\n\(output)")
            #expect(phase.alive, "the server was not running after phase \(phase.phase)")
        }
        // Every attack really ran, and every attack phase got a ratio to its quiet neighbours.
        let attacks = Dictionary(uniqueKeysWithValues: report.phases.compactMap { phase in phase.attack.map { (phase.kind, $0) } })
        #expect((attacks["slow-tcp"]?.openPeak ?? 0) > 0, "no slow TCP client got connected:\n\(output)")
        #expect((attacks["qtype-sweep"]?.distinctQtypes ?? 0) > 1, "the query-type sweep sent nothing:\n\(output)")
        let bombs = attacks["bombs"]?.kinds ?? [:]
        #expect(!bombs.isEmpty)
        #expect(bombs.filter { $0.key.hasPrefix("udp-") }.values.contains { $0.sent > 0 }, "no UDP bomb was sent")
        #expect(bombs.filter { $0.key.hasPrefix("tcp-") }.values.contains { $0.sent > 0 }, "no TCP bomb was sent")
        #expect(Set(report.ratios.keys) == ["slow-tcp", "qtype-sweep", "bombs"])
        #expect(report.ratios.values.allSatisfy { ($0 ?? 0) > 0 })
    }
}
