import Foundation
import Testing
import ZoneInterchange

/// The built `switchyard import route53` and `export route53` as users run them: files
/// in, files out, `switchyard check` on the result, exit statuses.
@Suite struct Route53CommandTests {
    @Test func importWritesAFileThatCheckAcceptsAndErrorsExitOne() async throws {
        let binary = try #require(RepositoryLayout.switchyard, "the switchyard binary is missing and could not be built")
        let folder = try TemporaryFolder(prefix: "r53")
        defer { folder.remove() }
        let output = folder.file("example.com.zone").path
        let imported = try await ExternalTool.run(binary, [
            "import", "route53", Route53Fixture.path("example.com-rrsets.json"),
            "--health-checks", Route53Fixture.path("example.com-health-checks.json"),
            "--cidr-blocks", Route53Fixture.path("example.com-cidr-blocks.json"), "--output", output,
        ], timeout: .seconds(120))
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr == "")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == (try Route53Fixture.text("example.com.zone.golden")))

        let checked = try await ExternalTool.run(binary, ["check", output], timeout: .seconds(120))
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stderr == "")

        let refused = try await ExternalTool.run(binary, ["import", "route53", Route53Fixture.path("unsupported-rrsets.json")], timeout: .seconds(120))
        #expect(refused.status == 1)
        #expect(refused.stdout == "")
        let lines = refused.stderr.split(separator: "\n").map(String.init)
        // Five records without an equivalent, two that use checks not given.
        #expect(lines.count == 7, "\(lines)")
        #expect(lines.allSatisfy { $0.hasPrefix(Route53Fixture.path("unsupported-rrsets.json") + ": error: ResourceRecordSets[") })
        #expect(lines.contains { $0.contains("(gp.example.com. A SetIdentifier gp-use1): geoproximity routing") })
        #expect(lines.contains { $0.contains("(cw.example.com. A SetIdentifier cw): HealthCheckId 0b1c2d3e-0000-4000-8000-000000000008 is used but no health checks were given") })
    }

    @Test func exportOfTheRepositoryZonesImportsBackToTheSameRecords() async throws {
        let binary = try #require(RepositoryLayout.switchyard, "the switchyard binary is missing and could not be built")
        let folder = try TemporaryFolder(prefix: "r53")
        defer { folder.remove() }
        let zones = RepositoryLayout.root.appendingPathComponent("zones").path
        let exported = try await ExternalTool.run(binary, [
            "export", "route53", zones, "--hosted-zone-id", "Z0DRILL",
            "--health-checks", folder.file("checks.json").path, "--cidr-blocks", folder.file("blocks.json").path,
            "--output", folder.file("rrsets.json").path,
        ], timeout: .seconds(120))
        #expect(exported.status == 0, "\(exported.stderr)")
        let rrsets = try Route53RecordSetList(json: Array(try Data(contentsOf: folder.file("rrsets.json"))))
        #expect(rrsets.resourceRecordSets.contains { $0.aliasTarget?.hostedZoneId == "Z0DRILL" })

        try FileManager.default.createDirectory(at: folder.file("zones"), withIntermediateDirectories: true)
        let zoneFile = folder.file("zones/drill.test.zone").path
        let imported = try await ExternalTool.run(binary, [
            "import", "route53", folder.file("rrsets.json").path, "--health-checks", folder.file("checks.json").path,
            "--cidr-blocks", "offices=" + folder.file("blocks.json").path, "--output", zoneFile,
        ], timeout: .seconds(120))
        #expect(imported.status == 0, "\(imported.stderr)")

        // The same records as the repository's zone, in check --print form (sets of one
        // group sorted: an import orders them by SetIdentifier; an ALIAS line's TTL is
        // never served and Route 53 keeps none).
        let before = try await ExternalTool.run(binary, ["check", "--print", zones], timeout: .seconds(120))
        let after = try await ExternalTool.run(binary, ["check", "--print", folder.file("zones").path], timeout: .seconds(120))
        #expect(before.status == 0 && after.status == 0, "\(after.stderr)")
        #expect(!after.stdout.isEmpty)
        #expect(Self.records(after.stdout) == Self.records(before.stdout))

        let ambiguous = try await ExternalTool.run(binary, ["export", "route53", zones, "--zone", "nothere.test"], timeout: .seconds(120))
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("error: no zone nothere.test."))
    }

    static func records(_ printed: String) -> [String] {
        printed.split(separator: "\n").map { line in
            var fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count > 3 && fields[3] == "ALIAS" { fields[1] = "-" }
            return fields.joined(separator: "\t")
        }.sorted()
    }
}
