import DNSWire
import Foundation
import Testing
import ZoneFile
import Zones
import ZoneInterchange

/// The octoDNS fixture (`Tests/Fixtures/interop/octodns/example.test.yaml`) and its import.
enum OctoDNSFixture {
    static let yamlPath = RepositoryLayout.fixture("interop/octodns/example.test.yaml").path
    static let expectedPath = RepositoryLayout.fixture("interop/octodns/example.test.zone").path
    static let origin: DomainName = "example.test."

    static func yaml() throws -> String {
        String(decoding: try #require(FileManager.default.contents(atPath: yamlPath)), as: UTF8.self)
    }

    /// The zone file the importer writes for the fixture (no errors, no warnings expected).
    static func imported() throws -> String {
        let result = OctoDNSImporter(origin: origin).read(yaml: try yaml(), file: "example.test.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        return try #require(result.document).render()
    }

    /// Imports `yaml` (with one apex NS given, as `--ns` does) and returns the diagnostics as text.
    static func problems(_ yaml: String, nameServers: [DomainName] = ["ns.example.test."]) -> [String] {
        let result = OctoDNSImporter(origin: origin, nameServers: nameServers).read(yaml: yaml, file: "bad.yaml")
        #expect(result.errors.isEmpty == (result.document != nil))
        return result.diagnostics.map(\.description)
    }
}

@Suite struct OctoDNSImportTests {
    /// Set SWITCHYARD_UPDATE_GOLDEN=1 to rewrite the expected zone file after a deliberate change.
    @Test func fixtureImportsToTheGoldenZoneFile() throws {
        let text = try OctoDNSFixture.imported()
        if ProcessInfo.processInfo.environment["SWITCHYARD_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: OctoDNSFixture.expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = String(decoding: try #require(FileManager.default.contents(atPath: OctoDNSFixture.expectedPath)), as: UTF8.self)
        #expect(text == expected)
        // The same input gives the same bytes.
        #expect(try OctoDNSFixture.imported() == text)
    }

    @Test func importedZoneLoadsWithoutDiagnostics() throws {
        let text = try OctoDNSFixture.imported()
        let load = try ZoneSetLoader().load(from: InMemoryZoneSource(version: nil, files: ["example.test.zone": text]))
        let report = try #require(load.reports.first)
        #expect(report.succeeded)
        #expect(report.diagnostics.map(\.description) == [])
        let zone = try #require(report.zone)
        #expect(zone.origin == OctoDNSFixture.origin)
        // Five checked values (status up has none); the down value's check never passes.
        #expect(zone.healthChecks.map(\.id).sorted() == [
            "app.example.test-a-eu-000", "app.example.test-a-eu-001", "app.example.test-a-us-000", "app.example.test-a-us-001",
        ])
        let down = try #require(zone.healthChecks.first { $0.id == "app.example.test-a-us-001" })
        #expect(down.disabled && down.inverted)
        let eu = try #require(zone.healthChecks.first { $0.id == "app.example.test-a-eu-000" })
        #expect(eu.target == .https(host: "192.0.2.10", port: 8443, path: "/health"))
        #expect(eu.hostHeader == "app.example.test" && eu.interval == 10 && eu.threshold == 2)
    }

    @Test func everyPlainTypeIsWrittenInZoneFileForm() throws {
        let lines = try OctoDNSFixture.imported().split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        for expected in [
            "@ 3600 IN MX 10 mx1.example.test.",
            "@ 3600 IN MX 20 mx2.example.test.",
            "@ 3600 IN TXT \"k=v; with semicolons; \\\"and quotes\\\"\"",
            "@ 3600 IN CAA 0 issue \"letsencrypt.org\"",
            "_sip._tcp 3600 IN SRV 10 20 5060 sip.example.test.",
            "1.2 3600 IN PTR host.example.test.",
            "legacy 3600 IN SPF \"v=spf1 -all\"",
            "host 3600 IN TYPE44 \\# 22 0101bf6b6825d2977c511a475bbefb88aad54a92ac73",
            "ns2 7200 IN AAAA 2001:db8::53",
            "www 300 IN CNAME app.example.test.",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        #expect(!lines.contains { $0.contains("192.0.2.99") }, "an ignored record was written")
    }

    @Test func badYAMLIsReportedAtItsLineAndColumn() {
        let problems = OctoDNSFixture.problems("www:\n  type: A\n  values: [192.0.2.1\n")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("bad.yaml:4:1: error: bad YAML:") == true, "\(problems)")
    }

    @Test func unsupportedTypesAreErrorsAtTheRecordsType() {
        let problems = OctoDNSFixture.problems("""
        old:
          type: DNAME
          value: new.example.test.
        loc:
          type: URLFWD
          value: {path: /, target: http://x/, code: 301, masking: 0, query: 0}
        ok:
          type: A
          value: 192.0.2.1
        """)
        #expect(problems == [
            "bad.yaml:2:9: error: old.example.test. DNAME: type DNAME is not served here (supported: A, AAAA, ALIAS, CAA, CNAME, MX, NAPTR, NS, PTR, SPF, SRV, SSHFP, TLSA, TXT)",
            "bad.yaml:5:9: error: loc.example.test. URLFWD: type URLFWD is not served here (supported: A, AAAA, ALIAS, CAA, CNAME, MX, NAPTR, NS, PTR, SPF, SRV, SSHFP, TLSA, TXT)",
        ])
    }

    @Test func badValuesAreErrorsAtTheValue() {
        let problems = OctoDNSFixture.problems("""
        a:
          type: A
          values:
            - 192.0.2.1
            - 2001:db8::1
        c:
          type: CNAME
          value: relative.name
        """)
        #expect(problems == [
            "bad.yaml:5:7: error: a.example.test. A: '2001:db8::1' is not an IPv4 address",
            "bad.yaml:8:10: error: c.example.test. CNAME: value 'relative.name' must be a fully qualified name ending in '.'",
        ])
    }

    @Test func aZoneWithoutApexNSNeedsNameServers() {
        let problems = OctoDNSFixture.problems("a:\n  type: A\n  value: 192.0.2.1\n", nameServers: [])
        #expect(problems == ["bad.yaml:1:1: error: example.test. has no NS records at its apex: octoDNS leaves them to the provider; name the servers with --ns"])
    }

    @Test func dynamicRulesAndPoolsAreCheckedAsOctoDNSChecksThem() {
        let problems = OctoDNSFixture.problems("""
        app:
          type: A
          value: 192.0.2.1
          dynamic:
            pools:
              a:
                fallback: b
                values: [{value: 192.0.2.2}]
              b:
                fallback: a
                values: [{value: 192.0.2.3}]
            rules:
              - geos: [NA]
                pool: a
              - geos: [NA-US, XX]
                pool: b
        www:
          type: CNAME
          value: app.example.test.
          dynamic:
            pools: {a: {values: [{value: x.example.test.}]}}
            rules: [{pool: a}]
        """)
        #expect(problems.contains("bad.yaml:6:7: error: app.example.test. A dynamic: pool 'a' has a fallback loop (a → b → a)"), "\(problems)")
        #expect(problems.contains { $0.hasPrefix("bad.yaml:15:16: error: app.example.test. A dynamic: rule 2: geo 'NA-US' is inside 'NA' of rule 1") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("bad.yaml:15:23: error: app.example.test. A dynamic: rule 2: geo 'XX': ") }, "\(problems)")
        #expect(problems.contains("bad.yaml:21:5: error: www.example.test. CNAME: dynamic records are imported for A and AAAA only (their pools become ALIAS trees, which carry addresses)"), "\(problems)")
    }
}
