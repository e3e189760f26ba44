import DNSWire
import Foundation
import ZoneFile
import Zones
import ZoneInterchange

/// The Route 53 fixtures (Tests/Fixtures/route53), shaped exactly as the AWS CLI prints them
/// (`json.dumps(indent=4)`), and the loader `switchyard check` runs.
enum Route53Fixture {
    static let folder = RepositoryLayout.fixture("route53")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    /// example.com: every policy, Alias kinds, escapes, every importable check type, CIDR.
    static func exampleInput() throws -> Route53ImportInput {
        Route53ImportInput(
            recordSetsFile: "example.com-rrsets.json",
            recordSets: try Route53RecordSetList(json: try bytes("example.com-rrsets.json")),
            healthChecksFile: "example.com-health-checks.json",
            healthChecks: try Route53HealthCheckList(json: try bytes("example.com-health-checks.json")),
            cidrBlocks: [.init(file: "example.com-cidr-blocks.json", collection: nil,
                               list: try Route53CidrBlockList(json: try bytes("example.com-cidr-blocks.json")))])
    }

    /// Zone files as `switchyard check` loads them (file name → text).
    static func load(_ files: [String: String]) -> ZoneSetLoad {
        let snapshot = ZoneSnapshot(version: nil, files: files.keys.sorted().map { name in
            ZoneSourceFile(path: name, displayName: name, identity: name, contents: .bytes(Array(files[name]!.utf8)), includes: NoIncludes())
        })
        return ZoneSetLoader().load(snapshot)
    }

    /// The zone set of files that must load without errors.
    static func zones(_ files: [String: String]) throws -> ZoneSet {
        let load = load(files)
        let errors = load.reports.flatMap(\.errors)
        guard errors.isEmpty else { throw LoadFailure(errors: errors.map(\.description)) }
        return ZoneSet(zones: load.reports.compactMap(\.zone))
    }

    struct LoadFailure: Error, CustomStringConvertible {
        var errors: [String]
        var description: String { errors.joined(separator: "\n") }
    }
}
