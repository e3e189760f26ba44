import DNSWire
import GeoIP
import Testing

extension GeoIPTests {
    @Suite struct MaxMindLocationTableTests {
        @Test(arguments: GeoIPFixtures.all)
        func tableAnswersExactlyAsTheDatabaseDoes(path: String) throws {
            let db = try MaxMindDatabase(contentsOf: path)
            let table = try db.locationTable()
            var addresses = expectedIPv4Locations.map(\.address) + expectedIPv4Misses.map(\.address)
            addresses += expectedIPv6Locations.map(\.address) + expectedIPv6Misses.map(\.address)
            for text in addresses {
                let address = try #require(IPAddress(text))
                let search = db.search(address)
                let result = table.locate(address)
                #expect(result.prefixLength == search.prefixLength, "\(text)")
                #expect(result.location == db.location(for: address), "\(text)")
            }
        }

        @Test(arguments: expectedIPv4Locations)
        func tableLocatesTheFixtureNetworks(expected: ExpectedLocation) throws {
            let table = try MaxMindDatabase(contentsOf: GeoIPFixtures.ipv6Record24).locationTable()
            let result = table.locate(try #require(IPAddress(expected.address)))
            #expect(result.location == expected.location)
            #expect(result.prefixLength == expected.prefixLength)
        }

        @Test func distinctLocationsAreDecodedOnce() throws {
            let db = try MaxMindDatabase(contentsOf: GeoIPFixtures.ipv6Record24)
            let table = try db.locationTable()
            // 34 networks, each with its own record and a location no other shares (the
            // all-types record is the only one that locates to just NA/US). Supernets split
            // around their subnets point to one record many times; it must be decoded once.
            #expect(table.locations.count == 34)
            #expect(Set(table.locations).count == table.locations.count)
            #expect(table.locations.allSatisfy { $0.prefixLength == 0 })
            #expect(table.locations.contains(GeoLocation(continent: "NA", country: "US")))
            #expect(table.metadata == db.metadata)
        }

        @Test func locationForIsTheProtocolConvenience() throws {
            let table: any GeoLocating = try MaxMindDatabase(contentsOf: GeoIPFixtures.ipv4Record32).locationTable()
            let location = table.location(for: try #require(IPAddress("24.1.2.3")))
            #expect(location == GeoLocation(continent: "NA", country: "CA", subdivision: "QC",
                                            latitude: 45.50, longitude: -73.57, prefixLength: 8))
        }
    }
}
