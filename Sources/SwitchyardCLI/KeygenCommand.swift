import ArgumentParser

/// `switchyard keygen`: make a zone's DNSSEC signing key and print its DS record (SPEC §10).
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keygen", abstract: "Make a DNSSEC key for a zone.")
    func run() throws { throw ValidationError("not built yet") }
}
