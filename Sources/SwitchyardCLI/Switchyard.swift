import ArgumentParser
import Foundation

/// The `switchyard` command: an authoritative DNS server with Route 53-style routing.
@main
struct Switchyard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "An authoritative DNS server with Route 53-style routing policies and health checks.",
        discussion: """
            Serve a folder of zone files:      switchyard serve zones/
            Validate zone files in CI:         switchyard check zones/
            Evacuate a region for a drill:     switchyard evacuate us-east-1 --for 10m
            See why a client gets an answer:   switchyard explain www.drill.test A --subnet 203.0.113.0/24
            See whether the NS set agrees:     switchyard fleet
            Serve a commit of the zone repo:   switchyard deploy 3f2c1e9 --wait
            Run a measured drill:              switchyard drill start evac-1 --evacuate us-east-1 --for 15m
            """,
        subcommands: [ServeCommand.self, CheckCommand.self, HealthCommand.self, EvacuateCommand.self, RestoreCommand.self,
                      ReloadCommand.self, ExplainCommand.self, FleetCommand.self, DeployCommand.self, DiffCommand.self,
                      WhatIfCommand.self, DrillCommand.self, ImportCommand.self, ExportCommand.self, KeygenCommand.self])

    /// The parser's own start, except that `diff` and `whatif` answer every error, a
    /// mistyped argument included, with exit status 2 (SPEC §7: 0 no change, 1 changes,
    /// 2 error; whatif: 1 when a name would be left with no healthy set); the parser's
    /// usual status for a usage error is 64.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if ["diff", "whatif"].contains(CommandLine.arguments.dropFirst().first), exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
