import DNSWire
import Routing
import Testing
import Zones

@testable import Authority

/// `WhatIfAnalysis`: the shares per routed set now and under an assumed health, computed
/// over client classes, must be what asking every network one by one gives.
@Suite struct WhatIfAnalysisTests {
    static let scenarios: [Set<String>] = [["us-east-1"], ["eu-west-1"], ["ap-southeast-1"], ["us-east-1", "eu-west-1"],
                                           ["us-east-1", "eu-west-1", "ap-southeast-1", "sa-east-1"]]

    /// The brute force: every network asked on its own for every routed name and type, in
    /// both health views (no classes, no short-cut for names whose health is unchanged).
    static func oneByOne(_ zones: ZoneSet, before: any HealthView, after: any HealthView) -> [String: ([String?: Double], [String?: Double], [String: Double])] {
        let analysis = WhatIfAnalysis(zones: zones, locator: WhatIfFixtures.locator, clients: WhatIfFixtures.clients)
        let authority = Authority(locator: WhatIfFixtures.locator)
        let now = Authority.Snapshot(zones: zones, health: before), then = Authority.Snapshot(zones: zones, health: after)
        var sums: [String: ([String?: Double], [String?: Double], [String: Double])] = [:]
        for question in analysis.routedQuestions() {
            var ledger = ShareLedger()
            let asked = Question(name: question.key.name, type: question.key.type)
            for client in analysis.clients {
                let was = RoutedSetTally.tally(asked, client: client.context, authority: authority, snapshot: now)
                let will = RoutedSetTally.tally(asked, client: client.context, authority: authority, snapshot: then)
                ledger.add(weight: 1 / Double(analysis.clients.count), now: was.fractions, then: will.fractions)
            }
            var moves: [String: Double] = [:]
            for move in ledger.orderedMoves { moves["\(move.from ?? "none")>\(move.to ?? "none")"] = move.share }
            sums["\(question.key.name) \(question.key.type)"] = (ledger.before.filter { $0.value > 1e-12 }, ledger.after.filter { $0.value > 1e-12 }, moves)
        }
        return sums
    }

    static func close(_ a: [String?: Double], _ b: [String?: Double]) -> Bool {
        Set(a.keys) == Set(b.keys) && a.allSatisfy { abs($0.value - b[$0.key]!) < 1e-9 }
    }

    @Test(arguments: scenarios)
    func classesGiveTheSharesOfAskingEveryNetworkOneByOne(regions: Set<String>) throws {
        let zones = WhatIfFixtures.zones()
        let after = WhatIfFixtures.evacuated(regions, zones: zones)
        let report = WhatIfAnalysis(zones: zones, locator: WhatIfFixtures.locator, clients: WhatIfFixtures.clients)
            .run(before: AllHealthy(), after: after)
        let expected = Self.oneByOne(zones, before: AllHealthy(), after: after)
        #expect(report.clients == WhatIfFixtures.clients.count)
        #expect(report.classes > 1 && report.classes < report.clients)
        #expect(report.names.count == expected.count)
        #expect(Set(report.names.map(\.policy)) == [.latency, .geo, .cidr, .failover, .weighted, .multivalue])
        for name in report.names {
            let want = try #require(expected["\(name.name) \(name.type)"])
            #expect(Self.close(Dictionary(uniqueKeysWithValues: name.before.map { ($0.set, $0.share) }), want.0), "\(name.name) \(name.type) before")
            #expect(Self.close(Dictionary(uniqueKeysWithValues: name.after.map { ($0.set, $0.share) }), want.1), "\(name.name) \(name.type) after")
            let moves = Dictionary(uniqueKeysWithValues: name.moves.map { ("\($0.from ?? "none")>\($0.to ?? "none")", $0.share) })
            #expect(Set(moves.keys) == Set(want.2.keys) && moves.allSatisfy { abs($0.value - want.2[$0.key]!) < 1e-9 }, "\(name.name) \(name.type) moves")
            #expect(abs(name.before.reduce(0) { $0 + $1.share } - 1) < 1e-9)
        }
    }

    @Test func evacuatingARegionMovesItsLatencyClientsToTheNextClosestRegion() throws {
        let zones = WhatIfFixtures.zones()
        let report = WhatIfAnalysis(zones: zones, locator: WhatIfFixtures.locator, clients: WhatIfFixtures.clients)
            .run(before: AllHealthy(), after: WhatIfFixtures.evacuated(["us-east-1"], zones: zones))
        let lat = try #require(report.names.first { $0.name == "lat.example.test." && $0.type == "A" })
        #expect(lat.policy == .latency)
        let use1Before = try #require(lat.before.first { $0.set == "use1" }).share
        #expect(use1Before > 0)
        #expect(!lat.after.contains { $0.set == "use1" })
        #expect(abs(lat.moves.filter { $0.from == "use1" }.reduce(0) { $0 + $1.share } - use1Before) < 1e-9)
        #expect(lat.moves.allSatisfy { $0.from == "use1" && $0.to != "use1" })
        #expect(!lat.leftWithoutHealthySet)
        // The weighted group's share of a is spread over b and c in proportion 5:7.
        let w = try #require(report.names.first { $0.name == "w.example.test." })
        #expect(w.before.map(\.set) == ["c", "b", "a"])
        #expect(abs(w.before[2].share - 3.0 / 15) < 1e-9)
        #expect(w.moves.map(\.from) == ["a", "a"] && abs(w.moves[0].share - 3.0 / 15 * 7 / 12) < 1e-9)
    }

    @Test func namesLeftWithNoHealthySetAreListedAndFlagged() throws {
        let zones = WhatIfFixtures.zones()
        let everything: Set<String> = ["us-east-1", "eu-west-1", "ap-southeast-1", "sa-east-1"]
        let report = WhatIfAnalysis(zones: zones, locator: WhatIfFixtures.locator, clients: WhatIfFixtures.clients)
            .run(before: AllHealthy(), after: WhatIfFixtures.evacuated(everything, zones: zones))
        #expect(report.namesWithoutHealthySet == ["fo.example.test. A", "lat.example.test. A", "lat2.example.test. AAAA"])
        #expect(report.names.filter(\.leftWithoutHealthySet).map { "\($0.name) \($0.type)" }.sorted() == report.namesWithoutHealthySet)
        let partial = WhatIfAnalysis(zones: zones, locator: WhatIfFixtures.locator, clients: WhatIfFixtures.clients)
            .run(before: AllHealthy(), after: WhatIfFixtures.evacuated(["us-east-1"], zones: zones))
        #expect(partial.namesWithoutHealthySet.isEmpty)
        #expect(!partial.names.contains { $0.leftWithoutHealthySet })
    }

    @Test func namesWhoseSetsKeepTheirHealthAreAskedOnceAndDoNotMove() throws {
        let zones = WhatIfFixtures.zones()
        let report = WhatIfAnalysis(zones: zones, locator: WhatIfFixtures.locator, clients: WhatIfFixtures.clients)
            .run(before: AllHealthy(), after: FixedHealth(["other": false]))
        let moved = report.names.filter { !$0.moves.isEmpty }.map(\.name)
        // The ALIAS group is asked as A and as AAAA.
        #expect(moved == ["www.example.test.", "www.example.test."])
        #expect(report.names.filter { $0.name != "www.example.test." }.allSatisfy { $0.before == $0.after })
        // Questions whose sets keep their health are asked once per class of their partition
        // in either case; www's groups hold ALIAS sets, whose targets' own choices may move
        // with no set's health changing, so they are asked in both views whatever changes:
        // the same number of asks with a change as without one.
        let nothing = WhatIfAnalysis(zones: zones, locator: WhatIfFixtures.locator, clients: WhatIfFixtures.clients)
            .run(before: AllHealthy(), after: AllHealthy())
        #expect(nothing.names.allSatisfy { $0.moves.isEmpty })
        #expect(report.questionsAsked == nothing.questionsAsked)
        let questions = report.names.count
        #expect(report.questionsAsked < 2 * questions * report.classes, "unaffected questions are not asked twice per class")
    }

    @Test func noClientsMeansOneUnlocatedClient() throws {
        let report = WhatIfAnalysis(zones: WhatIfFixtures.zones(), clients: []).run(before: AllHealthy(), after: FixedHealth(["use1": false]))
        #expect(report.clients == 1 && report.classes == 1)
        // Unlocated: latency keeps the zone order, geolocation has only country=*.
        let lat = try #require(report.names.first { $0.name == "lat.example.test." })
        #expect(lat.before == [.init(set: "use1", share: 1)] && lat.after == [.init(set: "euw1", share: 1)])
        #expect(lat.moves == [.init(from: "use1", to: "euw1", share: 1)])
        let geo = try #require(report.names.first { $0.name == "geo.example.test." })
        #expect(geo.before == [.init(set: "any", share: 1)] && geo.moves.isEmpty)
    }
}
