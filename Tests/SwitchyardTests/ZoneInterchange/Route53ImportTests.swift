import DNSWire
import Foundation
import Routing
import Testing
import Zones
@testable import ZoneInterchange

/// `import route53` on files shaped as the AWS CLI prints them: the zone file written, that
/// it loads, that its order does not follow the input's, and the errors for what has no
/// equivalent here.
@Suite struct Route53ImportTests {
    @Test func everyPolicyAliasEscapeAndCheckTypeImportsAsTheGoldenFile() throws {
        let text = try Route53Importer().document(from: try Route53Fixture.exampleInput()).render()
        let golden = try Route53Fixture.text("example.com.zone.golden")
        #expect(text == golden)
        // The constructs the golden file is there to show, spelled out.
        #expect(text.contains("\n*                                                300 IN TXT \"wildcard\"\n"))
        #expect(text.contains("@                                                300 IN TXT \"say \\\"hi\\\"\\009then tab\" \"second string\"\n"))
        #expect(text.contains("api [failover id=api-primary role=primary health=0b1c2d3e-0000-4000-8000-000000000001 evaluate-target-health=true] 60 IN ALIAS api-use1.example.com."))
        #expect(text.contains("www [weighted id=Blue-Fleet weight=90 health=0b1c2d3e-0000-4000-8000-000000000002] 60 IN A 192.0.2.20 ; Route 53 SetIdentifier \"Blue Fleet\""))
        #expect(text.contains("$HEALTHCHECK 0b1c2d3e-0000-4000-8000-000000000004 https://[2001:db8::21]:443/ interval=30s threshold=3 host=www.example.com match=OK disabled\n"))
        #expect(text.contains("$HEALTHCHECK 0b1c2d3e-0000-4000-8000-000000000005 tcp://[2001:db8::1]:5432 interval=10s threshold=1 inverted\n"))
        #expect(text.contains("@                                                300 IN MX 10 mail.example.com.\n"))
    }

    @Test func theImportedFileLoadsWithNoErrorsAndEveryConstructIntact() throws {
        let text = try Route53Importer().document(from: try Route53Fixture.exampleInput()).render()
        let load = Route53Fixture.load(["example.com.zone": text])
        let report = try #require(load.reports.first)
        #expect(report.diagnostics.filter { $0.severity == .error }.isEmpty, "\(report.diagnostics)")
        let zone = try #require(report.zone)
        // The eighth check of the listing, a CloudWatch alarm no record uses, is left out.
        #expect(zone.healthChecks.count == 7)
        #expect(text.contains("; 1 health check(s) of example.com-health-checks.json not used by these records were left out\n"))
        #expect(zone.cidrCollections["c8c02c6a-7a4d-4b3c-9f1e-5a0f1c2d3e4f"]?.locations["office"]?.count == 2)
        #expect(zone.serial == 1)
        let policies = zone.trie.nodes.flatMap { node in node.groups.map { "\(node.name) \($0.policy)" } }
        for expected in ["www.example.com. weighted", "lat.example.com. latency", "geo.example.com. geo", "api.example.com. failover",
                         "mv.example.com. multivalue", "ip.example.com. cidr", "edge.example.com. weighted", "example.com. simple"] {
            #expect(policies.contains(expected), "\(expected) missing from \(policies)")
        }
        let wildcard = try #require(zone.trie.find("*.example.com."))
        #expect(zone.trie.node(wildcard).rrsets.map(\.type) == [.txt])
    }

    @Test func shuffledListingsGiveTheSameBytes() throws {
        let input = try Route53Fixture.exampleInput()
        let expected = try Route53Importer().document(from: input).render()
        for seed in UInt64(1)...5 {
            var random = SplitMix64(seed: seed)
            var shuffled = input
            shuffled.recordSets.resourceRecordSets.shuffle(using: &random)
            for i in shuffled.recordSets.resourceRecordSets.indices {
                shuffled.recordSets.resourceRecordSets[i].resourceRecords?.shuffle(using: &random)
            }
            shuffled.healthChecks!.healthChecks.shuffle(using: &random)
            shuffled.cidrBlocks[0].list.cidrBlocks.shuffle(using: &random)
            #expect(shuffled.recordSets.resourceRecordSets != input.recordSets.resourceRecordSets)
            #expect(try Route53Importer().document(from: shuffled).render() == expected, "seed \(seed)")
        }
    }

    @Test func awsResourceAliasGeoproximityTrafficPolicyAndOtherCheckTypesAreErrorsNamingTheRecord() throws {
        let input = Route53ImportInput(
            recordSetsFile: "unsupported-rrsets.json",
            recordSets: try Route53RecordSetList(json: try Route53Fixture.bytes("unsupported-rrsets.json")),
            healthChecksFile: "unsupported-health-checks.json",
            healthChecks: try Route53HealthCheckList(json: try Route53Fixture.bytes("unsupported-health-checks.json")))
        let failure = try #require(throws: Route53Problems.self) { try Route53Importer().document(from: input) }
        let lines = failure.problems.map(\.description)
        #expect(lines.count == 7, "\(lines)")
        let expectedStarts = [
            "unsupported-rrsets.json: error: ResourceRecordSets[2] (example.com. A): Alias to dualstack.my-lb-1234567890.us-east-1.elb.amazonaws.com. (hosted zone Z35SXDOTRQ7X7K)",
            "unsupported-rrsets.json: error: ResourceRecordSets[3] (cdn.example.com. A): Alias to d111111abcdef8.cloudfront.net.",
            "unsupported-rrsets.json: error: ResourceRecordSets[4] (static.example.com. A): Alias to s3-website-us-east-1.amazonaws.com.",
            "unsupported-rrsets.json: error: ResourceRecordSets[5] (gp.example.com. A SetIdentifier gp-use1): geoproximity routing",
            "unsupported-rrsets.json: error: ResourceRecordSets[6] (tp.example.com. A SetIdentifier tp-1): the record belongs to traffic policy instance 12345678-abcd-abcd-abcd-123456789012",
            "unsupported-health-checks.json: error: HealthChecks[0] (Id 0b1c2d3e-0000-4000-8000-000000000008): type CLOUDWATCH_METRIC has no Switchyard equivalent",
            "unsupported-health-checks.json: error: HealthChecks[1] (Id 0b1c2d3e-0000-4000-8000-000000000009): type RECOVERY_CONTROL has no Switchyard equivalent",
        ]
        for (line, start) in zip(lines, expectedStarts) { #expect(line.hasPrefix(start), "\(line)") }
        // The supported record beside them is not what is reported.
        #expect(!lines.contains { $0.contains("ok.example.com.") })
    }

    @Test func aPageOfSeveralIsRefusedAtNextToken() throws {
        let list = try Route53RecordSetList(json: try Route53Fixture.bytes("example.com-rrsets-paged.json"))
        #expect(list.nextToken != nil)
        #expect(list.resourceRecordSets.count == 5)
        let failure = try #require(throws: Route53Problems.self) {
            try Route53Importer().document(from: Route53ImportInput(recordSetsFile: "paged.json", recordSets: list))
        }
        #expect(failure.problems.map(\.place) == ["NextToken"])
        #expect(failure.problems[0].message.contains("--max-items"))
    }

    /// SPEC §9's `--origin ZONE`: it names the zone (records outside it are errors naming
    /// them), and a listing without its SOA, whose zone is unknown, is told to give it.
    @Test func originNamesTheZoneAndAListingWithoutSOAAsksForIt() throws {
        var input = try Route53Fixture.exampleInput()
        let bySOA = try Route53Importer().document(from: input)
        input.origin = "example.com."
        #expect(try Route53Importer().document(from: input).render() == bySOA.render())

        input.origin = "other.test."
        let outside = try #require(throws: Route53Problems.self) { try Route53Importer().document(from: input) }
        #expect(!outside.problems.isEmpty)
        #expect(outside.problems.contains { $0.message.contains("outside the zone other.test.") })

        input.origin = nil
        input.recordSets.resourceRecordSets.removeAll { $0.type == "SOA" }
        let unnamed = try #require(throws: Route53Problems.self) { try Route53Importer().document(from: input) }
        #expect(unnamed.problems.contains { $0.message.contains("give --origin ZONE") })
    }

    @Test func aMissingHealthCheckOrCIDRCollectionNamesTheRecordThatUsesIt() throws {
        var input = try Route53Fixture.exampleInput()
        input.healthChecks!.healthChecks.removeAll { $0.id.hasSuffix("07") }
        input.cidrBlocks = []
        let failure = try #require(throws: Route53Problems.self) { try Route53Importer().document(from: input) }
        let lines = failure.problems.map(\.description)
        #expect(lines.contains("example.com-rrsets.json: error: ResourceRecordSets[25] (mv.example.com. A SetIdentifier mv2): HealthCheckId 0b1c2d3e-0000-4000-8000-000000000007 is not in example.com-health-checks.json"))
        #expect(lines.contains { $0.hasPrefix("example.com-rrsets.json: error: ResourceRecordSets[19] (ip.example.com. A SetIdentifier office): CIDR collection c8c02c6a-7a4d-4b3c-9f1e-5a0f1c2d3e4f has no blocks") })
    }

    @Test func badJSONNamesTheMemberPath() throws {
        let text = #"{"ResourceRecordSets": [{"Name": "a.example.", "Type": "A", "TTL": 60}, {"Name": "b.example.", "Type": "A", "TTL": "sixty"}]}"#
        let error = try #require(throws: Route53JSONError.self) { try Route53RecordSetList(json: Array(text.utf8)) }
        #expect(error.path == "ResourceRecordSets[1].TTL")
        #expect(error.description == "ResourceRecordSets[1].TTL: expected a whole number")
        let missing = try #require(throws: Route53JSONError.self) { try Route53HealthCheckList(json: Array(#"{"HealthChecks": [{"Id": "x"}]}"#.utf8)) }
        #expect(missing.description.hasPrefix("HealthChecks[0]: member HealthCheckConfig is missing"))
    }

    @Test func octalEscapesMapToZoneFileFormBothWays() throws {
        let star = try Route53Escapes.name("\\052.example.com.")
        #expect(star.isWildcard)
        #expect(Route53Escapes.text(of: star) == "\\052.example.com.")
        let odd = try Route53Escapes.name("a\\100b\\056c.Example.com")
        #expect(odd.labels.first.map(Array.init) == Array("a@b.c".utf8))
        #expect(Route53Escapes.text(of: odd) == "a\\100b\\056c.example.com.")
        #expect(throws: Route53Problem.Reason.self) { try Route53Escapes.name("a\\09.example.com.") }
        let strings = try Route53Escapes.characterStrings(#""say \"hi\"\011x" bare "\303\251""#)
        #expect(strings == [Array("say \"hi\"\tx".utf8), Array("bare".utf8), [0xC3, 0xA9]])
        #expect(Route53Escapes.text(ofStrings: strings) == #""say \"hi\"\011x" "bare" "\303\251""#)
        #expect(try Route53Importer.zoneData(type: "TXT", value: #""a\011b""#) == #""a\009b""#)
        #expect(try Route53Importer.zoneData(type: "CNAME", value: "www.example.com") == "www.example.com.")
        #expect(throws: Route53Problem.Reason.self) { try Route53Importer.zoneData(type: "TXT", value: #""unclosed"#) }
    }

    @Test func aliasesOfOneSetMergeAndConflictingOnesAreErrors() throws {
        func input(_ sets: [Route53RecordSet]) -> Route53ImportInput {
            var soa = Route53RecordSet(name: "example.com.", type: "SOA")
            soa.ttl = 900
            soa.resourceRecords = [.init(value: "ns.example.com. hostmaster.example.com. 1 7200 900 1209600 86400")]
            var ns = Route53RecordSet(name: "example.com.", type: "NS")
            ns.ttl = 900
            ns.resourceRecords = [.init(value: "ns.example.com.")]
            var glue = Route53RecordSet(name: "ns.example.com.", type: "A")
            glue.ttl = 900
            glue.resourceRecords = [.init(value: "192.0.2.1")]
            return Route53ImportInput(recordSetsFile: "rrsets.json", recordSets: .init(resourceRecordSets: [soa, ns, glue] + sets))
        }
        func alias(_ type: String, to target: String) -> Route53RecordSet {
            var set = Route53RecordSet(name: "app.example.com.", type: type)
            set.aliasTarget = .init(hostedZoneId: "Z1", dnsName: target, evaluateTargetHealth: false)
            return set
        }
        var plainAAAA = Route53RecordSet(name: "app.example.com.", type: "AAAA")
        plainAAAA.ttl = 60
        plainAAAA.resourceRecords = [.init(value: "2001:db8::1")]

        let merged = try Route53Importer().document(from: input([alias("A", to: "ns.example.com."), alias("AAAA", to: "ns.example.com.")]))
        #expect(merged.records.filter { $0.type == "ALIAS" }.map(\.comment) == ["Route 53 Alias A AAAA in hosted zone Z1"])

        let split = try #require(throws: Route53Problems.self) {
            try Route53Importer().document(from: input([alias("A", to: "ns.example.com."), alias("AAAA", to: "example.com.")]))
        }
        #expect(split.problems.map(\.place) == ["ResourceRecordSets[4] (app.example.com. AAAA)"])
        #expect(split.problems[0].message.contains("differs in target"))

        let beside = try #require(throws: Route53Problems.self) {
            try Route53Importer().document(from: input([alias("A", to: "ns.example.com."), plainAAAA]))
        }
        #expect(beside.problems.map(\.place) == ["ResourceRecordSets[3] (app.example.com. A)"])
        #expect(beside.problems[0].message.contains("sits beside simple AAAA records"))

        var x = alias("A", to: "ns.example.com.")
        x.setIdentifier = "x"
        x.weight = 1
        var y = alias("AAAA", to: "ns.example.com.")
        y.setIdentifier = "y"
        y.weight = 1
        let uneven = try #require(throws: Route53Problems.self) { try Route53Importer().document(from: input([x, y])) }
        #expect(uneven.problems.map(\.place) == ["ResourceRecordSets[4] (app.example.com. AAAA SetIdentifier y)"])
        #expect(uneven.problems[0].message.contains("must cover the same address types"))
    }

    @Test func setIdentifiersThatAreNotIdsAreMadeDistinctAndKeptInComments() throws {
        var sets: [Route53RecordSet] = []
        for (id, address) in [("a b", "192.0.2.1"), ("a-b", "192.0.2.2"), ("a/b", "192.0.2.3")] {
            var set = Route53RecordSet(name: "example.com.", type: "A")
            set.setIdentifier = id
            set.weight = 1
            set.ttl = 60
            set.resourceRecords = [.init(value: address)]
            sets.append(set)
        }
        var soa = Route53RecordSet(name: "example.com.", type: "SOA")
        soa.ttl = 900
        soa.resourceRecords = [.init(value: "ns.example.net. hostmaster.example.net. 1 7200 900 1209600 86400")]
        var ns = Route53RecordSet(name: "example.com.", type: "NS")
        ns.ttl = 900
        ns.resourceRecords = [.init(value: "ns.example.net.")]
        let document = try Route53Importer().document(from: Route53ImportInput(recordSetsFile: "r.json", recordSets: .init(resourceRecordSets: [soa, ns] + sets)))
        let routed = document.records.filter { $0.routing != nil }
        // A SetIdentifier that is an id keeps it, whatever the order.
        #expect(routed.map { $0.routing!.id } == ["a-b-2", "a-b", "a-b-3"])
        #expect(routed.map(\.comment) == ["Route 53 SetIdentifier \"a b\"", nil, "Route 53 SetIdentifier \"a/b\""])
    }
}
