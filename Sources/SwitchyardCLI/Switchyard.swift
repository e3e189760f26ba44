import ArgumentParser

/// The `switchyard` command: an authoritative DNS server with Route 53-style routing.
@main
struct Switchyard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "An authoritative DNS server with Route 53-style routing policies and health checks.",
        discussion: """
            Serve a folder of zone files:      switchyard serve zones/
            Validate zone files in CI:         switchyard check zones/
            """,
        subcommands: [ServeCommand.self, CheckCommand.self])
}
