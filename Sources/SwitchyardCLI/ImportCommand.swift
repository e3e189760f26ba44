import ArgumentParser

/// `switchyard import`: write a zone file from another provider's zone data (SPEC §9).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a zone file from Route 53 or octoDNS zone data.",
        subcommands: [ImportRoute53Command.self, ImportOctoDNSCommand.self])
}

/// `switchyard export`: write another provider's zone data from zone files (SPEC §9).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write Route 53 zone data from zone files.",
        subcommands: [ExportRoute53Command.self])
}
