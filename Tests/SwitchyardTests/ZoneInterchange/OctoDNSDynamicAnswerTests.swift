import Authority
import DNSWire
import Foundation
import HealthChecks
import Routing
import Testing
import Zones
import ZoneInterchange

/// The imported fixture answers as octoDNS says a dynamic record answers: a client in a
/// rule's geos gets that pool's values; with that pool's values down, its fallback pool's;
/// with those down too, the record's own values. Health comes from the imported
/// `$HEALTHCHECK` definitions, evaluated as the server evaluates them (so `status: down`
/// is down), with operator overrides standing in for failed probes.
@Suite struct OctoDNSDynamicAnswerTests {
    static let locator = TableLocator(places: [
        ("10.1.0.0/16", ClientLocation(continent: "EU", country: "DE")),
        ("10.2.0.0/16", ClientLocation(continent: "NA", country: "US", subdivision: "CA")),
        ("10.3.0.0/16", ClientLocation(continent: "NA", country: "US", subdivision: "NY")),
        ("10.4.0.0/16", ClientLocation(continent: "AS", country: "JP")),
    ])
    static let europe = "10.1.0.1", california = "10.2.0.1", newYork = "10.3.0.1", japan = "10.4.0.1"

    static func asker(down: [String] = [], up: [String] = []) throws -> Asker {
        let zones = ZoneFixtures.zoneSet(try OctoDNSFixture.imported(), origin: "example.test.")
        let overrides = Dictionary(uniqueKeysWithValues: down.map { ($0, HealthOverride(state: .down, setAt: Date())) }
                                   + up.map { ($0, HealthOverride(state: .up, setAt: Date())) })
        let states = HealthEvaluator.evaluate(definitions: zones.healthChecks, machines: [:], overrides: overrides).mapValues(\.effective)
        return Asker(zones, health: FixedHealth(states), locator: locator)
    }

    /// The addresses answered for `app` over `count` asks (weighted picks vary per ask).
    static func addresses(_ asker: inout Asker, client: String, type: RecordType = .a, count: Int = 40) -> Set<String> {
        var seen: Set<String> = []
        for _ in 0..<count {
            for set in asker.ask("app.example.test.", type, client: client).answer {
                #expect(set.owner.description == "app.example.test.")
                for record in set.records { seen.insert(record.presentation) }
            }
        }
        return seen
    }

    @Test func clientsInARulesGeosGetThatPoolsValues() throws {
        var asker = try Self.asker()
        #expect(Self.addresses(&asker, client: Self.europe) == ["192.0.2.10", "192.0.2.11"])
        #expect(Self.addresses(&asker, client: Self.japan) == ["192.0.2.10", "192.0.2.11"])
        #expect(Self.addresses(&asker, client: Self.california) == ["203.0.113.10"])
    }

    @Test func clientsMatchingNoGeoGetTheCatchAllPoolWithoutItsDownValue() throws {
        var asker = try Self.asker()
        #expect(Self.addresses(&asker, client: Self.newYork) == ["198.51.100.10"])
        #expect(Self.addresses(&asker, client: "192.0.2.200") == ["198.51.100.10"])
    }

    @Test func aStatusDownValueAnswersOnlyWhenAnOperatorOverridesItUp() throws {
        var asker = try Self.asker(up: ["app.example.test-a-us-001"])
        #expect(Self.addresses(&asker, client: Self.newYork) == ["198.51.100.10", "198.51.100.11"])
    }

    @Test func aPoolWithEveryValueDownAnswersFromItsFallback() throws {
        var asker = try Self.asker(down: ["app.example.test-a-eu-000", "app.example.test-a-eu-001"])
        #expect(Self.addresses(&asker, client: Self.europe) == ["198.51.100.10"])
        // One value of the pool up keeps the pool.
        var partly = try Self.asker(down: ["app.example.test-a-eu-000"])
        #expect(Self.addresses(&partly, client: Self.europe) == ["192.0.2.11"])
    }

    @Test func whenTheFallbackChainIsDownTheRecordsValuesAnswer() throws {
        var asker = try Self.asker(down: ["app.example.test-a-eu-000", "app.example.test-a-eu-001", "app.example.test-a-us-000"])
        #expect(Self.addresses(&asker, client: Self.europe) == ["192.0.2.100"])
        #expect(Self.addresses(&asker, client: Self.newYork) == ["192.0.2.100"])
        // The pool whose only value is `status: up` has no check and keeps answering.
        #expect(Self.addresses(&asker, client: Self.california) == ["203.0.113.10"])
    }

    @Test func aPlainAAAABesideTheDynamicAAnswersEveryClient() throws {
        var asker = try Self.asker()
        for client in [Self.europe, Self.california, Self.newYork] {
            #expect(Self.addresses(&asker, client: client, type: .aaaa, count: 4) == ["2001:db8::100"])
        }
    }
}
