import DNSWire
import Foundation
import Testing
import Zones
@testable import ZoneInterchange

/// `export route53`: a loaded zone as the AWS CLI would print it, and what Route 53
/// cannot hold refused at its line.
@Suite struct Route53ExportTests {
    static func drill() throws -> (ZoneSet, Zone) {
        let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("zones/drill.test.zone"), encoding: .utf8)
        let zones = try Route53Fixture.zones(["drill.test.zone": text])
        return (zones, try #require(zones.zone(for: "drill.test.")))
    }

    @Test func theDrillZoneIsWrittenInTheCLIShapeWithOneAliasPerTargetType() throws {
        let (zones, zone) = try Self.drill()
        let export = try Route53Exporter(hostedZoneID: "Z0DRILL").export(zone, in: zones)
        let text = export.recordSets.jsonText()
        #expect(text.hasPrefix("{\n    \"ResourceRecordSets\": [\n        {\n            \"Name\": \"drill.test.\",\n            \"Type\": \"A\",\n            \"AliasTarget\": {\n                \"HostedZoneId\": \"Z0DRILL\",\n                \"DNSName\": \"app.drill.test.\",\n                \"EvaluateTargetHealth\": true\n            }\n        },\n"))
        #expect(text.contains("\"Name\": \"\\\\052.preview.drill.test.\""))
        // Reads back to the same values: nothing is lost in the text.
        #expect(try Route53RecordSetList(json: Array(text.utf8)) == export.recordSets)

        let sets = export.recordSets.resourceRecordSets
        let app = sets.filter { $0.name == "app.drill.test." }
        #expect(app.map(\.type) == ["A", "A", "A", "AAAA", "AAAA", "AAAA"])
        #expect(app.allSatisfy { $0.aliasTarget != nil && $0.region != nil && $0.healthCheckId != nil && $0.ttl == nil })
        let www = sets.filter { $0.name == "www.drill.test." }
        #expect(www.map(\.setIdentifier) == ["blue", "green"])
        #expect(www.map(\.weight) == [90, 10])
        #expect(sets.first { $0.name == "geo.drill.test." && $0.setIdentifier == "default" }?.geoLocation == .init(countryCode: "*"))
        #expect(sets.first { $0.name == "ip.drill.test." && $0.setIdentifier == "rest" }?.cidrRoutingConfig == .init(collectionId: "offices", locationName: "*"))
        #expect(sets.filter { $0.multiValueAnswer == true }.count == 3)
        #expect(sets.first { $0.name == "status.drill.test." }?.resourceRecords == [.init(value: "\"drill.test is a test domain\" \"see Examples/region-evacuation\"")])
        #expect(export.cidrBlocks["offices"]?.cidrBlocks == [.init(cidrBlock: "10.1.0.0/16", locationName: "hq"), .init(cidrBlock: "2001:db8:100::/48", locationName: "hq")])
    }

    @Test func healthChecksTakeRoute53sFieldsAndIntervals() throws {
        let (zones, zone) = try Self.drill()
        let checks = try Route53Exporter().export(zone, in: zones).healthChecks.healthChecks
        #expect(checks.map(\.id) == ["any-region", "apse1", "euw1", "use1"])
        let use1 = checks[3].healthCheckConfig
        #expect(use1.type == "HTTP" && use1.ipAddress == "127.0.10.1" && use1.port == 8080 && use1.resourcePath == "/health")
        // interval=5s: Route 53 offers 10 or 30 seconds.
        #expect(use1.requestInterval == 10 && use1.failureThreshold == 2)
        #expect(checks[0].healthCheckConfig.childHealthChecks == ["use1", "euw1", "apse1"] && checks[0].healthCheckConfig.healthThreshold == 1)

        let text = """
            $ORIGIN t.test.
            @ 60 IN SOA ns hostmaster 1 3600 900 1209600 60
            @ 60 IN NS ns
            ns 60 IN A 192.0.2.1
            $HEALTHCHECK web https://192.0.2.9/ready host=web.t.test match="up" interval=30s threshold=4 inverted disabled
            $HEALTHCHECK db tcp://db.internal.test:5432
            w [weighted id=a weight=1 health=web] 60 IN A 192.0.2.9
            w [weighted id=b weight=1 health=db] 60 IN A 192.0.2.10
            """
        let other = try Route53Fixture.zones(["t.test.zone": text])
        let exported = try Route53Exporter().export(try #require(other.zone(for: "t.test.")), in: other).healthChecks.healthChecks
        let web = exported[1].healthCheckConfig
        #expect(web.type == "HTTPS_STR_MATCH" && web.ipAddress == "192.0.2.9" && web.fullyQualifiedDomainName == "web.t.test")
        #expect(web.searchString == "up" && web.requestInterval == 30 && web.failureThreshold == 4 && web.inverted == true && web.disabled == true && web.enableSNI == true)
        let db = exported[0].healthCheckConfig
        #expect(db.type == "TCP" && db.ipAddress == nil && db.fullyQualifiedDomainName == "db.internal.test" && db.port == 5432)
    }

    @Test func anAliasIntoAnotherZoneIsAnErrorAtItsLine() throws {
        let a = """
            $ORIGIN a.test.
            @ 60 IN SOA ns hostmaster 1 3600 900 1209600 60
            @ 60 IN NS ns
            ns 60 IN A 192.0.2.1
            far 60 IN ALIAS www.b.test.
            """
        let b = """
            $ORIGIN b.test.
            @ 60 IN SOA ns hostmaster 1 3600 900 1209600 60
            @ 60 IN NS ns
            ns 60 IN A 192.0.2.1
            www 60 IN A 192.0.2.2
            """
        let zones = try Route53Fixture.zones(["a.test.zone": a, "b.test.zone": b])
        let failure = try #require(throws: Route53Problems.self) {
            try Route53Exporter().export(try #require(zones.zone(for: "a.test.")), in: zones)
        }
        #expect(failure.problems.count == 1)
        #expect(failure.problems[0].description.hasPrefix("a.test.zone:5:1: error: ALIAS far.a.test. → www.b.test.: Route 53 Alias records point only into their own hosted zone"))
    }

    @Test func aliasSetsOfOneNameThatReachDifferentTypesAreAnErrorAtTheLine() throws {
        let text = """
            $ORIGIN t.test.
            @ 60 IN SOA ns hostmaster 1 3600 900 1209600 60
            @ 60 IN NS ns
            ns 60 IN A 192.0.2.1
            both 60 IN A 192.0.2.2
            both 60 IN AAAA 2001:db8::2
            edge [weighted id=a weight=1] 60 IN ALIAS ns
            edge [weighted id=b weight=1] 60 IN ALIAS both
            """
        let zones = try Route53Fixture.zones(["t.test.zone": text])
        let failure = try #require(throws: Route53Problems.self) {
            try Route53Exporter().export(try #require(zones.zone(for: "t.test.")), in: zones)
        }
        #expect(failure.problems.map(\.description) == [
            "t.test.zone:8:1: error: ALIAS set id=b of edge.t.test. reaches A AAAA but id=a reaches A; Route 53 keeps one group per type, so every Alias set of a name must reach the same types",
        ])
    }

    @Test func aChangeBatchUpsertsEverySetButTheApexSOAAndNS() throws {
        let (zones, zone) = try Self.drill()
        let list = try Route53Exporter().export(zone, in: zones).recordSets
        let text = list.changeBatchText(origin: "drill.test.", comment: "test")
        let changes = text.components(separatedBy: "\"Action\": \"UPSERT\"").count - 1
        #expect(changes == list.resourceRecordSets.count - 2)
        #expect(!text.contains("\"Type\": \"SOA\""))
        // The delegation's NS below the apex stays.
        #expect(text.contains("\"Name\": \"lab.drill.test.\",\n                \"Type\": \"NS\""))
    }
}
