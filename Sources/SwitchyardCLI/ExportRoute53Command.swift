import ArgumentParser

/// `switchyard export route53`: Route 53 change batches from zone files.
struct ExportRoute53Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "route53", abstract: "Export zone files as Route 53 record sets.")
    func run() throws { throw ValidationError("not built yet") }
}
