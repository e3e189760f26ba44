@testable import Authority
import DNSWire
import Foundation
import Routing
import Testing
import Zones
@testable import ZoneInterchange

/// Export to Route 53's shape and import back: every answer stays the same, for every
/// name and type, every client network (geo, latency, CIDR) and every health state;
/// weighted answers are compared as shares over a grid of random draws.
@Suite struct Route53RoundTripTests {
    /// Clients placed on several continents, a US state and the CIDR offices. Every client
    /// has a place: latency routing ranks the regions of a client it cannot place in zone
    /// file order, which Route 53's listing does not carry (an import orders the sets by
    /// SetIdentifier). Clients outside every CIDR block and geo record reach the defaults.
    static let locator = TableLocator(places: [
        ("10.0.0.0/8", ClientLocation(continent: "EU", country: "GB", latitude: 51.5, longitude: -0.1)),
        ("2001:db8::/32", ClientLocation(continent: "EU", country: "IE", latitude: 53.3, longitude: -6.3)),
        ("203.0.113.0/24", ClientLocation(continent: "OC", country: "AU", latitude: -33.9, longitude: 151.2)),
        ("81.0.0.0/16", ClientLocation(continent: "EU", country: "DE", latitude: 50.1, longitude: 8.7)),
        ("82.0.0.0/16", ClientLocation(continent: "EU", country: "FR", latitude: 48.9, longitude: 2.4)),
        ("12.0.0.0/16", ClientLocation(continent: "NA", country: "US", subdivision: "WA", latitude: 47.6, longitude: -122.3)),
        ("13.0.0.0/16", ClientLocation(continent: "NA", country: "US", subdivision: "VA", latitude: 38.9, longitude: -77.0)),
        ("1.0.0.0/16", ClientLocation(continent: "AS", country: "JP", latitude: 35.7, longitude: 139.7)),
        ("200.0.0.0/16", ClientLocation(continent: "SA", country: "BR", latitude: -23.5, longitude: -46.6)),
        ("2a00::/16", ClientLocation(continent: "EU", country: "GB", latitude: 51.5, longitude: -0.1)),
    ])
    static let clients: [ClientNetwork] = [
        ("de", "81.0.1.0/24"), ("fr", "82.0.1.0/24"), ("us-wa", "12.0.1.0/24"), ("us-va", "13.0.1.0/24"), ("jp", "1.0.1.0/24"),
        ("br", "200.0.1.0/24"), ("gb-v6", "2a00:1::/48"), ("office", "10.1.2.0/24"), ("office-v6", "2001:db8:100:1::/64"),
        ("au", "203.0.113.0/24"),
    ].map { ClientNetwork(name: $0.0, prefix: IPPrefix($0.1)!) }
    static let types: [RecordType] = [.a, .aaaa, .txt, .mx, .cname, .caa, .srv, .ns, .soa, .spf]
    /// Divisible by every weight total of the zones (100, 50+50). Kept small: the test runs
    /// on the shared cooperative pool, and a long one stalls every other test there.
    static let samples = 100

    @Test func theRepositoryDrillZoneKeepsEveryAnswer() throws {
        let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("zones/drill.test.zone"), encoding: .utf8)
        let original = try Route53Fixture.zones(["drill.test.zone": text])
        try Self.expectSameAnswers(original, origin: "drill.test.", extraNames: ["x.preview.drill.test.", "none.drill.test.", "deep.lab.drill.test."])
    }

    @Test func theImportedExampleZoneKeepsEveryAnswer() throws {
        let text = try Route53Importer().document(from: try Route53Fixture.exampleInput()).render()
        let original = try Route53Fixture.zones(["example.com.zone": text])
        try Self.expectSameAnswers(original, origin: "example.com.", extraNames: ["anything.example.com.", "a.b.example.com."])
    }

    /// Exports `origin` of `zones`, imports the JSON text back, and compares the answers.
    static func expectSameAnswers(_ zones: ZoneSet, origin: DomainName, extraNames: [DomainName]) throws {
        let zone = try #require(zones.zone(for: origin))
        let export = try Route53Exporter(hostedZoneID: "Z0ROUNDTRIP").export(zone, in: zones)
        #expect(!export.recordSets.resourceRecordSets.isEmpty)
        // Through the text the CLI writes and reads, not the values in memory.
        let rrsets = try Route53RecordSetList(json: Array(export.recordSets.jsonText().utf8))
        let checks = try Route53HealthCheckList(json: Array(export.healthChecks.jsonText().utf8))
        let blocks = try export.cidrBlocks.sorted { $0.key < $1.key }.map { name, list in
            Route53ImportInput.CidrBlocks(file: "\(name).json", collection: name, list: try Route53CidrBlockList(json: Array(list.jsonText().utf8)))
        }
        let imported = try Route53Importer().document(from: Route53ImportInput(
            recordSetsFile: "rrsets.json", recordSets: rrsets, healthChecks: checks, cidrBlocks: blocks))
        let back = try Route53Fixture.zones(["\(origin)zone": imported.render()])

        var names = Set(zone.trie.nodes.map(\.name)).union(extraNames)
        names.formUnion(try #require(back.zone(for: origin)).trie.nodes.map(\.name))
        let checkIDs = zone.healthChecks.map(\.id).sorted()
        #expect(!checkIDs.isEmpty)
        // Every check healthy, each alone down, and all down (last resort).
        var states: [[String: Bool]] = [[:]]
        for id in checkIDs { states.append([id: false]) }
        states.append(Dictionary(uniqueKeysWithValues: checkIDs.map { ($0, false) }))

        let authority = Authority(locator: locator)
        var compared = 0, routedDiffer = 0, clientDependent = 0
        for state in states {
            let before = Authority.Snapshot(zones: zones, health: FixedHealth(state))
            let after = Authority.Snapshot(zones: back, health: FixedHealth(state))
            for name in names.sorted() {
                for type in types {
                    let question = Question(name: name, type: type)
                    var cache: [Int: (AnswerDistribution, AnswerDistribution)] = [:]
                    for client in clients {
                        let family = client.prefix!.address.bitWidth
                        let (old, new): (AnswerDistribution, AnswerDistribution)
                        if let known = cache[family] {
                            (old, new) = known
                        } else {
                            let a = AnswerDistribution.tally(question, client: client.context, authority: authority, snapshot: before, samples: samples)
                            let b = AnswerDistribution.tally(question, client: client.context, authority: authority, snapshot: after, samples: samples)
                            (old, new) = (a.distribution, b.distribution)
                            if !a.dependsOnClient && !b.dependsOnClient { cache[family] = (old, new) } else { clientDependent += 1 }
                        }
                        compared += 1
                        if old.outcomes.count > 1 { routedDiffer += 1 }
                        #expect(old == new, "\(name) \(type) for \(client.name) with \(state.filter { !$0.value }.keys.sorted()) down")
                    }
                }
            }
        }
        #expect(compared > 1000)
        // Weighted shares were among what was compared, not only fixed answers.
        #expect(routedDiffer > 0)
        // So were answers chosen by where the client is (geo, latency, CIDR).
        #expect(clientDependent > 0)
    }
}
