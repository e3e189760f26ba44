import DNSWire
import GeoIP
import Testing

/// `MaxMindDatabase.networksByPlace()`: the networks `switchyard diff --geoip` asks for.
@Suite struct MaxMindNetworksTests {
    @Test(arguments: GeoIPFixtures.all)
    func eachPlaceOnceWithANetworkTheDatabasePutsThere(path: String) throws {
        let database = try MaxMindDatabase(contentsOf: path)
        let networks = try database.networksByPlace()
        #expect(networks.count > 20)
        let places = networks.map { "\($0.location.country.map { "\($0)" } ?? "")/\($0.location.subdivision.map { "\($0)" } ?? "")" }
        #expect(Set(places).count == places.count)
        for (prefix, location) in networks {
            let found = try #require(database.location(for: prefix.address), "\(prefix)")
            #expect(found.country == location.country && found.subdivision == location.subdivision, "\(prefix)")
            #expect(found.prefixLength == prefix.length, "\(prefix)")
        }
    }

    @Test func ipv6OnlyPlacesComeFromTheIPv6TreeAndNestedPlacesFromTheirOwnBlock() throws {
        let networks = try MaxMindDatabase(contentsOf: GeoIPFixtures.ipv6Record24).networksByPlace()
        let byPlace = Dictionary(uniqueKeysWithValues: networks.map { ("\($0.location.country!)-\($0.location.subdivision.map { "\($0)" } ?? "")", "\($0.prefix)") })
        #expect(byPlace["US-WA"] == "2001:db8::/48")
        #expect(byPlace["US-TX"] == "8.8.8.8/32")
        let ipv4Only = try MaxMindDatabase(contentsOf: GeoIPFixtures.ipv4Record32).networksByPlace()
        #expect(ipv4Only.allSatisfy { if case .v4 = $0.prefix.address { true } else { false } })
        #expect(ipv4Only.count < networks.count)
    }
}
