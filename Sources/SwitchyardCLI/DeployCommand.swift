import AdminContract
import ArgumentParser
import Foundation
import DNSWire

/// `switchyard deploy COMMIT`: make the server, or with `--cluster` every instance of the
/// fleet, serve a commit of its zone repository (SPEC §7).
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Serve a commit of the zone repository: on this server, or on every instance of its fleet.",
        discussion: """
            The server must run with --git. COMMIT is anything git rev-parse takes (a commit id, a tag, a branch). On one server the reload happens before the command returns; a commit that fails to load keeps the previous one serving and the command exits 1. With --cluster the request is stored in etcd and every instance loads the commit from its own repository; --wait waits until all of them serve it and names those still pending when --timeout runs out (exit 1).

            Examples:
              switchyard deploy 3f2c1e9
              switchyard deploy v2026.12.04 --wait --timeout 60s
            """)
    @OptionGroup var options: ClientOptions
    @Argument(help: "The commit to serve.") var commit: String
    @Flag(name: .long, help: "Wait until every instance serves the commit.") var wait = false
    @Option(name: .long, help: "How long --wait waits (e.g. 30s, 2m).") var timeout: String = "60s"

    func validate() throws {
        guard let seconds = TimeValue.parse(timeout), seconds > 0 else {
            throw ValidationError("--timeout must be a duration such as 30s or 2m, not '\(timeout)'")
        }
    }

    func run() async throws {
        let client = try options.client()
        let result: AdminJSON.DeployResult = try await client.send(.POST, "/v1/deploy",
                                                                  body: AdminJSON.DeployRequest(commit: commit, requestedBy: Requester.current))
        for zone in result.zones ?? [] {
            print("\(zone.origin ?? zone.file): \(zone.result)")
            for error in zone.errors { print("  \(error)") }
        }
        if let revision = result.revision {
            print("asked the fleet to serve \(result.commit) (revision \(revision))")
        } else {
            print(result.ok ? "serving \(result.commit)" : "\(result.commit) did not load; the previous version keeps serving")
        }
        guard result.ok else { throw ExitCode(1) }
        guard wait else { return }
        let pending = try await DeployCommand.waitForFleet(client, commit: result.commit, within: Double(TimeValue.parse(timeout) ?? 60))
        if pending.isEmpty {
            print("every instance serves \(result.commit)")
        } else {
            print("still pending after \(timeout): \(pending.joined(separator: ", "))")
            throw ExitCode(1)
        }
    }

    /// Asks `/v1/fleet` four times a second until every instance reports `commit`; returns
    /// the instances still serving something else (with what they serve) when time runs out.
    static func waitForFleet(_ client: AdminClient, commit: String, within seconds: Double) async throws -> [String] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        var pending: [String] = []
        repeat {
            let fleet: AdminJSON.FleetReport = try await client.get("/v1/fleet")
            pending = fleet.instances.filter { $0.commit != commit }
                .map { "\($0.name) (serving \($0.commit.map { String($0.prefix(12)) } ?? "no commit"))" }
            if pending.isEmpty { return [] }
            try await Task.sleep(for: .milliseconds(250))
        } while ContinuousClock.now < deadline
        return pending
    }
}
