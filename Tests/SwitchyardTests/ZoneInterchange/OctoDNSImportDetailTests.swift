import DNSWire
import Foundation
import Routing
import Testing
import Zones
@testable import ZoneInterchange

/// A and AAAA dynamic records at one name share one ALIAS tree (ALIAS names answer both
/// address types), so they must agree on rules and fallbacks; other import details that
/// the fixture does not reach.
@Suite struct OctoDNSImportDetailTests {
    static let dualStack = """
    '':
      type: NS
      value: ns.example.test.
    ns:
      type: A
      value: 192.0.2.53
    app:
      - type: A
        values: [192.0.2.100]
        octodns:
          healthcheck: {protocol: TCP, port: 5432}
        dynamic:
          pools:
            eu: {values: [{value: 192.0.2.10}]}
            us: {values: [{value: 198.51.100.10}]}
          rules:
            - {geos: [EU], pool: eu}
            - pool: us
      - type: AAAA
        values: ['2001:db8::100']
        octodns:
          healthcheck: {protocol: TCP, port: 5432}
        dynamic:
          pools:
            eu: {values: [{value: '2001:db8::10'}]}
            us: {values: [{value: '2001:db8:1::10'}]}
          rules:
            - {geos: [EU], pool: eu}
            - pool: us
    """

    static func imported(_ yaml: String) throws -> String {
        let result = OctoDNSImporter(origin: "example.test.").read(yaml: yaml, file: "dual.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        return try #require(result.document).render()
    }

    @Test func dualStackDynamicRecordsAnswerEachTypeFromItsOwnPool() throws {
        let text = try Self.imported(Self.dualStack)
        #expect(text.contains("$HEALTHCHECK app.example.test-aaaa-eu-000 tcp://[2001:db8::10]:5432\n"), "\(text)")
        #expect(text.contains("$HEALTHCHECK app.example.test-a-eu-000 tcp://192.0.2.10:5432\n"), "\(text)")
        let zones = ZoneFixtures.zoneSet(text, origin: "example.test.")
        let locator = TableLocator(places: [("10.1.0.0/16", ClientLocation(continent: "EU", country: "FR"))])
        var asker = Asker(zones, locator: locator)
        #expect(asker.ask("app.example.test.", .aaaa, client: "10.1.0.1").answerLines == ["app.example.test. 3600 IN AAAA 2001:db8::10"])
        #expect(asker.ask("app.example.test.", .a, client: "10.1.0.1").answerLines == ["app.example.test. 3600 IN A 192.0.2.10"])
        #expect(asker.ask("app.example.test.", .aaaa, client: "192.0.2.1").answerLines == ["app.example.test. 3600 IN AAAA 2001:db8:1::10"])
        // The AAAA value down: the AAAA pool falls back to the record's values, the A pool stays.
        var down = Asker(zones, health: FixedHealth(["app.example.test-aaaa-eu-000": false]), locator: locator)
        #expect(down.ask("app.example.test.", .aaaa, client: "10.1.0.1").answerLines == ["app.example.test. 3600 IN AAAA 2001:db8::100"])
        #expect(down.ask("app.example.test.", .a, client: "10.1.0.1").answerLines == ["app.example.test. 3600 IN A 192.0.2.10"])
    }

    @Test func subnetRulesBecomeCIDRSetsOfOneCollection() throws {
        let text = try Self.imported("""
        '':
          type: NS
          value: ns.example.test.
        ns:
          type: A
          value: 192.0.2.53
        app:
          type: A
          values: [192.0.2.100]
          dynamic:
            pools:
              office: {values: [{value: 10.0.0.10}]}
              world: {values: [{value: 198.51.100.10}]}
            rules:
              - {subnets: [10.5.0.0/16, '2001:db8:5::/48'], pool: office}
              - pool: world
        """)
        #expect(text.contains("$CIDR octodns-app.example.test rule1 10.5.0.0/16 2001:db8:5::/48\n"), "\(text)")
        var asker = Asker(ZoneFixtures.zoneSet(text, origin: "example.test."))
        #expect(asker.ask("app.example.test.", .a, client: "10.5.7.7").answerLines == ["app.example.test. 3600 IN A 10.0.0.10"])
        #expect(asker.ask("app.example.test.", .a, client: "192.0.2.1", subnet: "10.5.7.0/24").answerLines == ["app.example.test. 3600 IN A 10.0.0.10"])
        #expect(asker.ask("app.example.test.", .a, client: "192.0.2.1").answerLines == ["app.example.test. 3600 IN A 198.51.100.10"])
        // Geos and subnets in one name's rules are refused.
        let mixed = OctoDNSFixture.problems("""
        app:
          type: A
          values: [192.0.2.100]
          dynamic:
            pools: {a: {values: [{value: 10.0.0.10}]}, b: {values: [{value: 10.0.0.11}]}}
            rules:
              - {subnets: [10.5.0.0/16], pool: a}
              - {geos: [EU], pool: b}
              - pool: b
        """)
        #expect(mixed == ["bad.yaml:7:7: error: app.example.test. A dynamic: rules mix subnets and geos: a name routes by CIDR or by geo here, not both"])
    }

    @Test func dualStackRecordsWithDifferentRulesAreAnError() {
        let yaml = Self.dualStack.replacingOccurrences(of: "- {geos: [EU], pool: eu}\n        - pool: us\n\"\"\"", with: "")
            .replacingOccurrences(of: "      rules:\n        - {geos: [EU], pool: eu}\n        - pool: us\n", with: "      rules:\n        - {geos: [EU, AS], pool: eu}\n        - pool: us\n", options: .backwards)
        let problems = OctoDNSFixture.problems(yaml)
        #expect(problems == ["bad.yaml:28:9: error: app.example.test. AAAA dynamic rules differ from those of A; one name's dynamic records share their rules"])
    }

    @Test func longTXTValuesAreSplitIntoStringsOf255Bytes() throws {
        let long = String(repeating: "x", count: 300)
        let text = try Self.imported("'':\n  - {type: NS, value: ns.example.test.}\n  - {type: TXT, value: \(long)}\n")
        #expect(text.contains("IN TXT \"\(String(repeating: "x", count: 255))\" \"\(String(repeating: "x", count: 45))\"\n"), "\(text)")
        let zone = try #require(ZoneFixtures.zone(text, origin: "example.test."))
        #expect(zone.origin == "example.test.")
    }

    @Test func anEmptyZoneWithNameServersIsAnSOAAndNS() throws {
        let result = OctoDNSImporter(origin: "example.test.", nameServers: ["ns1.example.net.", "ns2.example.net."], serial: 7).read(yaml: "", file: "empty.yaml")
        let text = try #require(result.document).render()
        #expect(text.contains("@ 3600 IN SOA ns1.example.net. hostmaster.example.test. 7 7200 900 1209600 300 ; octoDNS manages no SOA\n"), "\(text)")
        #expect(text.contains("@ 3600 IN NS ns2.example.net.\n"), "\(text)")
        #expect(ZoneFixtures.zone(text, origin: "example.test.") != nil)
    }

    @Test func healthCheckIDsTooLongAreCutAndHashedWithinSixtyFourCharacters() {
        let long = String(repeating: "label.", count: 12) + "example.test-a-"
        let (eu, us) = (OctoDNSDynamicName.checkID(long + "eu-000"), OctoDNSDynamicName.checkID(long + "us-000"))
        #expect(eu.count == 64 && us.count == 64)
        #expect(eu != us)
        #expect(eu == OctoDNSDynamicName.checkID(long + "eu-000"))
        #expect(OctoDNSDynamicName.checkID("App.Example.test-A-eu-000") == "app.example.test-a-eu-000")
    }

    @Test func anApexALIASIsWrittenAndOneLeavingTheZoneIsWarnedAbout() throws {
        let inside = OctoDNSImporter(origin: "example.test.", nameServers: ["ns.example.net."])
            .read(yaml: "'':\n  type: ALIAS\n  value: www.example.test.\nwww:\n  type: A\n  value: 192.0.2.1\n", file: "alias.yaml")
        #expect(inside.diagnostics.isEmpty)
        let text = try #require(inside.document).render()
        #expect(text.contains("IN ALIAS www.example.test.\n"), "\(text)")
        #expect(ZoneFixtures.zone(text, origin: "example.test.") != nil)

        let outside = OctoDNSImporter(origin: "example.test.", nameServers: ["ns.example.net."])
            .read(yaml: "'':\n  type: ALIAS\n  value: lb.example.net.\n", file: "alias.yaml")
        #expect(outside.diagnostics.map(\.description) == [
            "alias.yaml:3:10: warning: example.test. ALIAS target lb.example.net. is outside example.test.: an ALIAS must point into a zone this server loads",
        ])
    }

    @Test(arguments: [
        "just a scalar",
        "- a\n- list\n",
        "www: 42\n",
        "www:\n  value: 192.0.2.1\n",
        "www:\n  type: A\n",
        "www:\n  type: A\n  ttl: -5\n  value: 192.0.2.1\n",
        "www:\n  type: MX\n  value: {preference: 70000, exchange: mx.example.test.}\n",
        "www:\n  type: SSHFP\n  value: {algorithm: 1, fingerprint_type: 1, fingerprint: abc}\n",
        "www:\n  type: A\n  value: 192.0.2.1\n  dynamic: {pools: [a, b], rules: {pool: a}}\n",
        "www:\n  type: A\n  value: 192.0.2.1\n  dynamic: {pools: {a: {values: [{value: 192.0.2.2, weight: 900}]}}, rules: [{pool: b}]}\n",
        "www:\n  type: A\n  value: 192.0.2.1\n  octodns: {healthcheck: {protocol: ICMP}}\n  dynamic: {pools: {a: {values: [{value: 192.0.2.2}]}}, rules: [{pool: a}]}\n",
        "www:\n  type: A\n  value: 192.0.2.1\n  dynamic: {pools: {default: {values: [{value: 192.0.2.2}]}}, rules: [{pool: default}]}\n",
        "www:\n  type: A\n  value: 192.0.2.1\n  dynamic: {pools: {a: {values: [{value: 192.0.2.2}]}}, rules: [{pool: a}, {pool: a}]}\n",
        "{a: 1, a: 2}",
    ])
    func malformedInputIsAnErrorWithAPlaceNeverACrash(_ yaml: String) {
        let problems = OctoDNSFixture.problems(yaml)
        #expect(!problems.isEmpty)
        #expect(problems.allSatisfy { $0.hasPrefix("bad.yaml:") && $0.contains(": error: ") }, "\(problems)")
    }

    @Test func aRecordNameGivenTwiceIsAnErrorAtTheSecond() {
        let problems = OctoDNSFixture.problems("a:\n  type: A\n  value: 192.0.2.1\na:\n  type: A\n  value: 192.0.2.2\n")
        #expect(problems == ["bad.yaml:4:1: error: 'a' is given twice in one mapping (first at line 1, column 1)"])
    }
}
