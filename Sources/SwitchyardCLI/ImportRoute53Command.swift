import ArgumentParser
import DNSWire
import Foundation
import ZoneInterchange

/// `switchyard import route53`: a zone file from `aws route53 list-resource-record-sets`.
struct ImportRoute53Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route53",
        abstract: "Write a zone file from Route 53 record sets, health checks and CIDR blocks.",
        discussion: """
            RRSETS.json is what `aws route53 list-resource-record-sets --hosted-zone-id ID`
            prints. Every routing policy becomes a routing block (SetIdentifier as id=),
            Alias records to names in the zone become ALIAS (EvaluateTargetHealth as
            evaluate-target-health=true), health checks become $HEALTHCHECK lines under
            Route 53's ids, CIDR blocks become $CIDR lines named by the collection id.
            Alias records to AWS resources, geoproximity and traffic-policy records, and
            CloudWatch or recovery-control checks are errors naming the record. The file
            is written in one stable order and loads with `switchyard check`.

            Examples:
              aws route53 list-resource-record-sets --hosted-zone-id Z0EXAMPLE > rrsets.json
              aws route53 list-health-checks > checks.json
              aws route53 list-cidr-blocks --collection-id c8c0… > blocks.json
              switchyard import route53 rrsets.json --health-checks checks.json \\
                  --cidr-blocks blocks.json --output zones/example.com.zone
            """)

    @Argument(help: ArgumentHelp("The output of aws route53 list-resource-record-sets.", valueName: "rrsets.json"))
    var recordSets: String

    @Option(name: .long, help: ArgumentHelp("The output of aws route53 list-health-checks.", valueName: "checks.json"))
    var healthChecks: String?

    @Option(name: .long, help: ArgumentHelp("The output of aws route53 list-cidr-blocks, as FILE when the records use one collection, else COLLECTION-ID=FILE (repeatable).", valueName: "file"))
    var cidrBlocks: [String] = []

    @Option(name: .long, help: ArgumentHelp("The zone's name (default: the owner of the SOA record).", valueName: "zone"))
    var origin: String?

    @Option(name: .long, help: ArgumentHelp("Write the zone file here instead of to standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        do {
            var input = Route53ImportInput(recordSetsFile: recordSets,
                                           recordSets: try Self.decode(recordSets, Route53RecordSetList.init(json:)))
            if let healthChecks {
                input.healthChecksFile = healthChecks
                input.healthChecks = try Self.decode(healthChecks, Route53HealthCheckList.init(json:))
            }
            for argument in cidrBlocks {
                var collection: String?
                var file = argument
                if let equals = argument.firstIndex(of: "="), !FileManager.default.fileExists(atPath: argument) {
                    collection = String(argument[..<equals])
                    file = String(argument[argument.index(after: equals)...])
                }
                input.cidrBlocks.append(.init(file: file, collection: collection,
                                              list: try Self.decode(file, Route53CidrBlockList.init(json:))))
            }
            if let origin {
                do { input.origin = try DomainName(origin.hasSuffix(".") ? origin : origin + ".", origin: .root) } catch {
                    throw Route53CommandFailure("--origin: '\(origin)' is not a domain name (\(error))")
                }
            }
            let text: String
            do { text = try Route53Importer().document(from: input).render() } catch {
                throw Route53CommandFailure(error.description)
            }
            try Self.write(text, to: output)
        } catch let failure as Route53CommandFailure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            throw ExitCode(1)
        }
    }

    static func decode<T>(_ path: String, _ make: ([UInt8]) throws(Route53JSONError) -> T) throws(Route53CommandFailure) -> T {
        let bytes = try read(path)
        do { return try make(bytes) } catch { throw Route53CommandFailure("\(path): error: \(error)") }
    }

    static func read(_ path: String) throws(Route53CommandFailure) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Route53CommandFailure("\(path): error: cannot read the file")
        }
        return Array(data)
    }

    static func write(_ text: String, to path: String?) throws(Route53CommandFailure) {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw Route53CommandFailure("\(path): error: cannot write the file (\(error.localizedDescription))")
        }
    }
}

/// A message for standard error, already in `FILE: error: …` form, and exit status 1.
struct Route53CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
