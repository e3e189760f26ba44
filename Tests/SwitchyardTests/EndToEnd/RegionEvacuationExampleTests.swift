import Foundation
import Testing

/// The examples as a newcomer runs them, so they cannot rot: every `Examples/*/zones`
/// folder passes `switchyard check`, and the region-evacuation drill runs start to finish
/// against the built binary with every expected answer move seen (`run-drill.sh --check`).
struct RegionEvacuationExampleTests {
    static let examples = RepositoryLayout.root.appendingPathComponent("Examples")
    static let drill = examples.appendingPathComponent("region-evacuation/run-drill.sh")

    static let bash = ExternalTool.find("bash")
    static let python = ExternalTool.find("python3")

    /// The DNS client the drill will use, in its own order of preference; nil when none
    /// that sends EDNS Client Subnet is installed.
    static let dnsClient: String? = {
        if ExternalTool.find("dig") != nil { return "dig" }
        if python != nil && Dnspython.isAvailable { return "dnspython" }
        if ExternalTool.find("kdig") != nil { return "kdig" }
        return nil
    }()

    /// The seconds a report line gives after `label`, as in "  Evacuation flip time:   0.13 s  ...".
    static func seconds(after label: String, in output: String) -> Double? {
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: label) else { continue }
            let fields = line[range.upperBound...].split(separator: " ")
            guard fields.count >= 2, fields[1] == "s" else { return nil }
            return Double(fields[0])
        }
        return nil
    }

    @Test(.enabled(if: RegionEvacuationExampleTests.dnsClient != nil,
                   "no DNS client that sends EDNS Client Subnet: install dig (Debian package bind9-dnsutils) or dnspython (pip install dnspython)"),
          .enabled(if: RegionEvacuationExampleTests.python != nil, "python3 is not installed (Debian package python3)"),
          .enabled(if: RegionEvacuationExampleTests.bash != nil, "bash is not installed"))
    func regionEvacuationDrillRunsAndReports() async throws {
        let switchyard = try #require(RepositoryLayout.switchyard, "the switchyard binary is missing and could not be built")
        let dnsPort = try LoopbackPort.pick()
        let adminPort = try LoopbackPort.pick()
        let backendPort = try LoopbackPort.pick()
        let run = try await ExternalTool.run(try #require(Self.bash), [
            Self.drill.path, "--check", "--switchyard", switchyard,
            "--dns-port", "\(dnsPort)", "--admin-port", "\(adminPort)", "--backend-port", "\(backendPort)",
        ], in: RepositoryLayout.root, timeout: .seconds(120))
        let output = run.stdout + run.stderr
        #expect(run.status == 0, "run-drill.sh --check failed:\n\(output)")
        #expect(output.contains("DNS client:  \(Self.dnsClient ?? "")"))
        #expect(output.contains("Result: PASS - every expected answer move happened."), "\(output)")

        // An override applies at once: the flip takes the CLI's own run and a poll or two.
        let flip = Self.seconds(after: "Evacuation flip time:", in: output)
        #expect(flip != nil, "no evacuation flip time in the report:\n\(output)")
        if let flip { #expect(flip < 10, "evacuation flip took \(flip) s") }
        // Automatic failover: within interval × threshold + 1 s = 3 s on an idle machine;
        // the script gives up at 15 s, and a busy shared machine gets some slack here.
        let failover = Self.seconds(after: "Automatic failover time:", in: output)
        #expect(failover != nil, "no automatic failover time in the report:\n\(output)")
        if let failover { #expect(failover > 0 && failover < 15, "automatic failover took \(failover) s") }
        #expect(Self.seconds(after: "Recovery time:", in: output) != nil)
        #expect(Self.seconds(after: "Restore time:", in: output) != nil)
        #expect(output.contains("app  US client    us-east-1 -> eu-west-1 -> ap-southeast-1 -> us-east-1"), "\(output)")
        #expect(output.contains("drill evac-1 started: us-east-1 evacuated (use1 down)"), "\(output)")
        // The drill's own report: every routed name the script's clients ask moved, with the
        // caches' moment, and the drill stopped (checked in detail by the script's --check).
        #expect(output.contains("Drill evac-1: stopped"), "\(output)")
        #expect(output.contains("app.evac.test. A  use1 -> euw1"), "\(output)")
        #expect(output.contains("Every resolver cache has dropped the old answers by"), "\(output)")
    }

    /// DESIGN: a test loads every `Examples/*/zones` folder.
    @Test func everyExampleZonesFolderChecksCleanly() async throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path).sorted()
            .map { Self.examples.appendingPathComponent($0).appendingPathComponent("zones") }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        #expect(!folders.isEmpty, "no Examples/*/zones folder found")
        for folder in folders {
            let result = try await SwitchyardCheck.run(["check", folder.path], in: RepositoryLayout.root.path)
            #expect(result.status == 0, "switchyard check \(folder.path) failed:\n\(result.stderr)")
            #expect(result.stderr == "", "switchyard check \(folder.path) warned:\n\(result.stderr)")
        }
    }
}
