import DNSWire
import Routing
import Testing

/// Geolocation and CIDR sets are matched by codes packed at load; codes too long to pack
/// (a CIDR location such as `sfo-office`, a made-up subdivision) are matched by name, and
/// both kinds pick the same sets the names say.
@Suite struct PlanMatchCodeTests {
    struct FixedLocator: ClientLocator {
        let location: ClientLocation?
        func locate(_ prefix: IPPrefix) -> (location: ClientLocation?, scope: UInt8) { (location, 24) }
        func latencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: LatencyRegions) -> (milliseconds: [Double?], scope: UInt8) {
            (regions.names.map { _ in nil }, 0)
        }
    }

    static func choose(_ plan: RoutingPlan, _ client: ClientView) -> Int {
        var client = client
        var health = AllSetsHealthy()
        var random = SplitMix64(seed: 1)
        var trace = NoTrace()
        return plan.select(client: &client, health: &health, random: &random, trace: &trace).first
    }

    static let geo = RoutingPlan(policy: .geo, sets: [
        SetRouting(id: "na", rule: .geo(.continent("NA"))),
        SetRouting(id: "us", rule: .geo(.country("US"))),
        SetRouting(id: "us-ca", rule: .geo(.subdivision(country: "US", code: "CA"))),
        SetRouting(id: "long", rule: .geo(.subdivision(country: "US", code: "NORTHWEST"))),
        SetRouting(id: "longcountry", rule: .geo(.country("ATLANTISLAND"))),
        SetRouting(id: "any", rule: .geo(.anyLocation)),
    ])

    static func at(_ continent: String?, _ country: String?, _ subdivision: String?) -> ClientView {
        ClientView(context: ClientContext(source: IPAddress("192.0.2.1")!),
                   locator: FixedLocator(location: ClientLocation(continent: continent, country: country, subdivision: subdivision)))
    }

    @Test func geoPicksTheMostSpecificPlaceByCodeAndByName() {
        #expect(Self.choose(Self.geo, Self.at("NA", "US", "CA")) == 2)
        #expect(Self.choose(Self.geo, Self.at("NA", "US", "NORTHWEST")) == 3)
        #expect(Self.choose(Self.geo, Self.at("NA", "US", "TX")) == 1)
        #expect(Self.choose(Self.geo, Self.at("NA", "CA", nil)) == 0)
        #expect(Self.choose(Self.geo, Self.at("EU", "ATLANTISLAND", nil)) == 4)
        #expect(Self.choose(Self.geo, Self.at("EU", "DE", nil)) == 5)
        // A subdivision code is one of its country's: CA in Canada is not California.
        #expect(Self.choose(Self.geo, Self.at("NA", "CA", "CA")) == 0)
        #expect(Self.choose(Self.geo, ClientView(context: ClientContext(source: IPAddress("192.0.2.1")!), locator: FixedLocator(location: nil))) == 5)
    }

    @Test func cidrPicksTheClientsLocationByCodeAndByName() {
        let plan = RoutingPlan(policy: .cidr, sets: [
            SetRouting(id: "ams", rule: .cidr(collection: "corp", location: "ams")),
            SetRouting(id: "sfo", rule: .cidr(collection: "corp", location: "sfo-office")),
            SetRouting(id: "rest", rule: .cidr(collection: "corp", location: nil)),
            SetRouting(id: "sfo2", rule: .cidr(collection: "corp", location: "sfo-office-2")),
        ])
        let table = PrefixTable<String>([(IPPrefix("10.0.0.0/8")!, "sfo-office"), (IPPrefix("192.0.2.0/24")!, "ams"),
                                         (IPPrefix("198.51.100.0/24")!, "lon-office"), (IPPrefix("10.2.0.0/16")!, "sfo-office-2")])
        func client(_ address: String) -> ClientView {
            ClientView(context: ClientContext(source: IPAddress(address)!), collections: ["corp": table])
        }
        #expect(Self.choose(plan, client("10.9.8.7")) == 1)
        // Two long names (matched by hash, then by name) that share their first ten octets.
        #expect(Self.choose(plan, client("10.2.3.4")) == 3)
        #expect(Self.choose(plan, client("192.0.2.9")) == 0)
        #expect(Self.choose(plan, client("198.51.100.1")) == 2)
        #expect(Self.choose(plan, client("203.0.113.1")) == 2)
    }
}
