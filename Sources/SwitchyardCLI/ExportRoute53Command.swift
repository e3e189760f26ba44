import ArgumentParser
import Foundation
import ZoneInterchange
import Zones
import ZoneSources

/// `switchyard export route53`: a zone's record sets in the shape Route 53's CLI prints.
struct ExportRoute53Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route53",
        abstract: "Write a zone as Route 53 record sets (and its health checks and CIDR blocks).",
        discussion: """
            Loads the zone files as `check` does and writes one zone's record sets exactly
            as `aws route53 list-resource-record-sets` prints them, so `import route53`
            reads them back with every answer the same. Routing blocks become routing
            policies (id= as SetIdentifier), an ALIAS becomes one Alias record per type its
            target answers. --change-batch writes an UPSERT batch for
            `aws route53 change-resource-record-sets` instead (without the apex SOA and NS).

            Examples:
              switchyard export route53 zones/ --zone drill.test --hosted-zone-id Z0EXAMPLE \\
                  --health-checks checks.json --cidr-blocks blocks.json > rrsets.json
            """)

    @OptionGroup var zoneSource: ZoneSourceOptions

    @Option(name: .long, help: ArgumentHelp("The zone to write, when the files hold several.", valueName: "zone"))
    var zone: String?

    @Option(name: .long, help: ArgumentHelp("The hosted zone's id, written in every Alias (default: HOSTED-ZONE-ID, which Route 53 refuses).", valueName: "id"))
    var hostedZoneId: String = Route53Exporter.unknownZoneID

    @Flag(name: .long, help: "Write a change batch (UPSERT of every record set) instead of the list-resource-record-sets shape.")
    var changeBatch = false

    @Option(name: .long, help: ArgumentHelp("Also write the health checks the zone uses, as aws route53 list-health-checks prints them.", valueName: "file"))
    var healthChecks: String?

    @Option(name: .long, help: ArgumentHelp("Also write the CIDR blocks, as aws route53 list-cidr-blocks prints them: FILE when the zone uses one collection, else COLLECTION=FILE (repeatable).", valueName: "file"))
    var cidrBlocks: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write the record sets here instead of to standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var zoneLimits: ZoneLimitOptions

    func run() throws {
        do {
            try export()
        } catch let failure as Route53CommandFailure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            throw ExitCode(1)
        }
    }

    func export() throws {
        let reports: [ZoneFileReport]
        do { reports = try ZoneSetLoader(limits: zoneLimits.limits).load(from: try zoneSource.source()).reports } catch {
            throw Route53CommandFailure("\(error)")
        }
        let errors = reports.flatMap(\.errors)
        guard errors.isEmpty else { throw Route53CommandFailure(errors.map(\.description).joined(separator: "\n")) }
        let zones = ZoneSet(zones: reports.compactMap(\.zone))
        let chosen: Zone
        if let zone {
            let wanted = zone.hasSuffix(".") ? zone.lowercased() : zone.lowercased() + "."
            guard let found = zones.zones.first(where: { $0.origin.presentation.lowercased() == wanted }) else {
                throw Route53CommandFailure("\(zoneSource.description): error: no zone \(wanted) among \(zones.zones.map(\.origin.presentation).joined(separator: ", "))")
            }
            chosen = found
        } else {
            guard zones.zones.count == 1 else {
                throw Route53CommandFailure("\(zoneSource.description): error: \(zones.zones.count) zones loaded (\(zones.zones.map(\.origin.presentation).joined(separator: ", "))); choose one with --zone")
            }
            chosen = zones.zones[0]
        }
        let result: Route53Export
        do { result = try Route53Exporter(hostedZoneID: hostedZoneId).export(chosen, in: zones) } catch {
            throw Route53CommandFailure(error.description)
        }
        let origin = chosen.origin.presentation.lowercased()
        let text = changeBatch
            ? result.recordSets.changeBatchText(origin: origin, comment: "switchyard export route53 \(origin)")
            : result.recordSets.jsonText()
        try ImportRoute53Command.write(text, to: output)
        if let healthChecks { try ImportRoute53Command.write(result.healthChecks.jsonText(), to: healthChecks) }
        for argument in cidrBlocks {
            var collection: String
            var file = argument
            if let equals = argument.firstIndex(of: "=") {
                collection = String(argument[..<equals])
                file = String(argument[argument.index(after: equals)...])
            } else {
                guard result.cidrBlocks.count == 1 else {
                    throw Route53CommandFailure("--cidr-blocks \(argument): the zone uses \(result.cidrBlocks.count) CIDR collections (\(result.cidrBlocks.keys.sorted().joined(separator: ", "))); give COLLECTION=FILE")
                }
                collection = result.cidrBlocks.keys.first!
            }
            guard let blocks = result.cidrBlocks[collection] else {
                throw Route53CommandFailure("--cidr-blocks \(argument): the zone uses no CIDR collection \(collection)")
            }
            try ImportRoute53Command.write(blocks.jsonText(), to: file)
        }
    }
}
