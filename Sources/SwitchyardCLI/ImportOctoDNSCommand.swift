import ArgumentParser

/// `switchyard import octodns`: a zone file from an octoDNS YAML zone.
struct ImportOctoDNSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "octodns", abstract: "Import an octoDNS zone.")
    func run() throws { throw ValidationError("not built yet") }
}
