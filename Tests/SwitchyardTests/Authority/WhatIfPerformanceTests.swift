import Authority
import DNSWire
import GeoIP
import Routing
import Testing
import Zones

/// `WhatIfAnalysis` over a population placed by a `--geo-networks` table, with a loose
/// bound for debug builds (the release figure is `Benchmarks/whatif.sh`'s: under 1 s for
/// 100,000 networks and 1,000 names).
@Suite struct WhatIfPerformanceTests {
    static let places: [(continent: String, country: String, subdivision: String, latitude: Double, longitude: Double)] = [
        ("NA", "US", "NY", 40.7, -74.0), ("NA", "US", "CA", 37.8, -122.4), ("NA", "US", "TX", 30.3, -97.7),
        ("NA", "US", "WA", 47.6, -122.3), ("NA", "US", "FL", 25.8, -80.2), ("NA", "CA", "", 43.7, -79.4),
        ("NA", "MX", "", 19.4, -99.1), ("SA", "BR", "", -23.5, -46.6), ("SA", "AR", "", -34.6, -58.4),
        ("EU", "DE", "", 50.1, 8.7), ("EU", "FR", "", 48.9, 2.3), ("EU", "GB", "", 51.5, -0.1), ("EU", "IE", "", 53.3, -6.3),
        ("EU", "PL", "", 52.2, 21.0), ("EU", "ES", "", 40.4, -3.7), ("AS", "JP", "", 35.7, 139.7), ("AS", "IN", "", 19.1, 72.9),
        ("AS", "SG", "", 1.35, 103.8), ("AS", "KR", "", 37.6, 127.0), ("OC", "AU", "", -33.9, 151.2), ("AF", "ZA", "", -26.2, 28.0),
    ]
    static let regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1", "sa-east-1"]

    /// `count` networks, each a /24 somewhere around one of the places.
    static func networks(_ count: Int) throws -> GeoNetworksTable {
        var random = SplitMix64(seed: 11)
        var csv = GeoNetworksTable.header + "\n"
        for i in 0..<count {
            let place = places[Int(random.next(upperBound: UInt64(places.count)))]
            let latitude = place.latitude + Double(Int(random.next(upperBound: UInt64(600))) - 300) / 100
            let longitude = place.longitude + Double(Int(random.next(upperBound: UInt64(600))) - 300) / 100
            csv += "\(10 + i >> 16).\((i >> 8) & 255).\(i & 255).0/24,\(place.continent),\(place.country),\(place.subdivision),\(latitude),\(longitude)\n"
        }
        return try GeoNetworksTable(parsing: Array(csv.utf8), file: "networks.csv")
    }

    /// `names` routed names in a mix: latency, geolocation, failover, weighted, multivalue
    /// and ALIAS with evaluate-target-health.
    static func zone(names: Int) -> String {
        var text = """
            $ORIGIN perf.test.
            $TTL 300
            @ IN SOA ns1 hostmaster 1 3600 900 1209600 60
              IN NS ns1
            ns1 IN A 192.0.2.53

            """
        for region in regions { text += "$HEALTHCHECK \(region) http://127.0.0.1:9/ region=\(region)\n" }
        for n in 0..<names {
            let a = regions[n % regions.count], b = regions[(n + 2) % regions.count], c = regions[(n + 4) % regions.count]
            switch n % 6 {
            case 0, 1:
                for r in [a, b, c] { text += "n\(n) [latency id=\(r) region=\(r) health=\(r)] 60 IN A 192.0.2.\(n % 250)\n" }
            case 2:
                text += "n\(n) [geo id=us country=US health=\(a)] 60 IN A 192.0.2.1\n"
                text += "n\(n) [geo id=ca country=US subdivision=CA health=\(b)] 60 IN A 192.0.2.2\n"
                text += "n\(n) [geo id=eu continent=EU health=\(c)] 60 IN A 192.0.2.3\n"
                text += "n\(n) [geo id=any country=* health=\(b)] 60 IN A 192.0.2.4\n"
            case 3:
                text += "n\(n) [failover id=p role=primary health=\(a)] 60 IN A 192.0.2.5\n"
                text += "n\(n) [failover id=s role=secondary health=\(b)] 60 IN A 192.0.2.6\n"
            case 4:
                for (i, r) in [a, b, c].enumerated() { text += "n\(n) [weighted id=\(r) weight=\(10 * (i + 1)) health=\(r)] 60 IN A 192.0.2.\(i + 7)\n" }
            case _ where n % 12 == 5:
                text += "n\(n) [failover id=p role=primary evaluate-target-health=true] 60 IN ALIAS n\(n - 5)\n"
                text += "n\(n) [failover id=s role=secondary] 60 IN ALIAS n\(n - 2)\n"
            default:
                for (i, r) in [a, b, c].enumerated() { text += "n\(n) [multivalue id=\(r) health=\(r)] 60 IN AAAA 2001:db8::\(i + 1)\n" }
            }
        }
        return text
    }

    @Test func aThousandsOfNetworksAndAHundredNamesTakeSecondsInDebug() throws {
        let table = try Self.networks(3_000)
        let zones = ZoneFixtures.zoneSet(Self.zone(names: 100), origin: "perf.test.")
        let clients = table.entries.map { ClientNetwork(name: "\($0.prefix)", prefix: $0.prefix) }
        let analysis = WhatIfAnalysis(zones: zones, locator: GeoClientLocator(sources: [table], latencyTable: nil), clients: clients)
        let clock = ContinuousClock()
        var report: WhatIfReport?
        let elapsed = clock.measure { report = analysis.run(before: AllHealthy(), after: FixedHealth(["us-east-1": false])) }
        let result = try #require(report)
        print("whatif (debug): \(result.clients) networks in \(result.classes) classes, \(result.names.count) names, \(result.questionsAsked) asks, \(elapsed)")
        #expect(result.clients == 3_000)
        #expect(result.names.count > 100)
        #expect(result.classes < result.clients)
        #expect(result.names.contains { !$0.moves.isEmpty })
        #expect(elapsed < .seconds(15))
    }
}
