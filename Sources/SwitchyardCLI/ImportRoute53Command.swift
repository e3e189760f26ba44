import ArgumentParser

/// `switchyard import route53`: a zone file from `aws route53 list-resource-record-sets`.
struct ImportRoute53Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "route53", abstract: "Import Route 53 record sets.")
    func run() throws { throw ValidationError("not built yet") }
}
