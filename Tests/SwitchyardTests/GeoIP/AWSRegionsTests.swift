import DNSWire
import GeoIP
import Routing
import Testing

extension GeoIPTests {
    @Suite struct AWSRegionsTests {
        static let required = [
            "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1",
            "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
            "ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
            "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2",
            "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1",
            "me-central-1", "sa-east-1", "mx-central-1", "cn-north-1", "cn-northwest-1",
            "us-gov-east-1", "us-gov-west-1",
        ]

        @Test(arguments: required)
        func everyRegionIsKnownWithPlausibleCoordinates(name: String) throws {
            #expect(AWSRegions.isKnown(name))
            let point = try #require(AWSRegions.coordinates(of: name))
            #expect((-90...90).contains(point.latitude) && (-180...180).contains(point.longitude))
        }

        @Test func namesAreUniqueAndUnknownNamesAreRefused() {
            #expect(Set(AWSRegions.all.map(\.name)).count == AWSRegions.all.count)
            #expect(!AWSRegions.isKnown("us-east-9"))
            #expect(!AWSRegions.isKnown("US-EAST-1"))
            #expect(AWSRegions.coordinates(of: "mars-north-1") == nil)
        }

        /// The locator's prepared regions (unit vectors, chord and arcsine) give the
        /// haversine's kilometres for every Region from every point of a world grid, and
        /// nothing for a name the list does not know.
        @Test func preparedRegionsGiveTheHaversinesDistances() throws {
            let names = AWSRegions.all.map(\.name) + ["mars-north-1"]
            let prepared = LatencyRegions(names)
            let locator = GeoClientLocator(sources: [], latencyTable: nil)
            let prefix = try #require(IPPrefix("192.0.2.0/24"))
            var compared = 0
            for latitude in stride(from: -89.5, through: 89.5, by: 7.0) {
                for longitude in stride(from: -179.5, through: 179.5, by: 9.0) {
                    let location = (location: ClientLocation?.some(ClientLocation(latitude: latitude, longitude: longitude)), scope: UInt8(24))
                    let fast = locator.latencies(prefix, location: location, regions: prepared).milliseconds
                    let slow = names.map { AWSRegions.kilometres(fromLatitude: latitude, longitude: longitude, to: $0) }
                    #expect(fast.count == names.count && fast.last! == nil && slow.last! == nil)
                    for (a, b) in zip(fast.dropLast(), slow.dropLast()) {
                        let a = try #require(a), b = try #require(b)
                        #expect(abs(a - b) < 1e-6, "\(latitude),\(longitude): \(a) km against \(b) km")
                        compared += 1
                    }
                }
            }
            #expect(compared == 26 * 40 * AWSRegions.all.count)
        }

        @Test func newYorkIsNearerVirginiaThanIreland() throws {
            let (lat, lon) = (40.71, -74.01)
            let virginia = try #require(AWSRegions.kilometres(fromLatitude: lat, longitude: lon, to: "us-east-1"))
            let ireland = try #require(AWSRegions.kilometres(fromLatitude: lat, longitude: lon, to: "eu-west-1"))
            #expect(virginia < ireland)
            #expect(virginia > 300 && virginia < 400)
            #expect(ireland > 5000 && ireland < 5300)
        }

        @Test(arguments: [
            // (from, to, expected km, tolerance): well-known great-circle distances.
            ((51.5074, -0.1278), (40.7128, -74.0060), 5570.0, 15.0),   // London – New York
            ((-33.8688, 151.2093), (35.6762, 139.6503), 7820.0, 30.0), // Sydney – Tokyo
            ((0.0, 0.0), (0.0, 180.0), 20015.1, 1.0),                  // half the equator
            ((10.0, 20.0), (10.0, 20.0), 0.0, 0.0001),
        ])
        func haversineMatchesKnownDistances(from: (Double, Double), to: (Double, Double), kilometres: Double, tolerance: Double) {
            let d = AWSRegions.greatCircleKilometres(from.0, from.1, to.0, to.1)
            #expect(abs(d - kilometres) <= tolerance, "got \(d)")
            let back = AWSRegions.greatCircleKilometres(to.0, to.1, from.0, from.1)
            #expect(abs(d - back) < 1e-6)
        }

        @Test(arguments: [
            ("Tokyo", 35.68, 139.69, "ap-northeast-1"), ("Paris", 48.86, 2.35, "eu-west-3"),
            ("Seattle", 47.61, -122.33, "us-west-2"), ("Johannesburg", -26.20, 28.05, "af-south-1"),
            ("Buenos Aires", -34.60, -58.38, "sa-east-1"), ("Abu Dhabi", 24.45, 54.38, "me-central-1"),
            ("Vancouver", 49.28, -123.12, "us-west-2"), ("Edmonton", 53.55, -113.49, "ca-west-1"),
            ("Guadalajara", 20.67, -103.35, "mx-central-1"), ("Oslo", 59.91, 10.75, "eu-north-1"),
        ])
        func citiesAreNearestTheirRegion(city: String, latitude: Double, longitude: Double, region: String) throws {
            let nearest = try #require(AWSRegions.all.min {
                AWSRegions.greatCircleKilometres(latitude, longitude, $0.latitude, $0.longitude)
                    < AWSRegions.greatCircleKilometres(latitude, longitude, $1.latitude, $1.longitude)
            })
            #expect(nearest.name == region, "\(city)")
        }
    }
}
