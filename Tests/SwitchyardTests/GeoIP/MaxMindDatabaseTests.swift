import DNSWire
import GeoIP
import Testing

/// One expected lookup in the committed fixtures: the location after Route 53's
/// continent table is applied, and the prefix length of the network found.
struct ExpectedLocation: Sendable, CustomTestStringConvertible {
    var address: String
    var prefixLength: Int
    var continent: GeoCode?
    var country: GeoCode?
    var subdivision: GeoCode?
    var latitude: Double?
    var longitude: Double?

    var testDescription: String { address }

    var location: GeoLocation {
        GeoLocation(continent: continent, country: country, subdivision: subdivision,
                    latitude: latitude, longitude: longitude, prefixLength: prefixLength)
    }
}

private func expect(
    _ address: String, _ prefixLength: Int, _ continent: GeoCode?, _ country: GeoCode?,
    _ subdivision: GeoCode?, _ latitude: Double?, _ longitude: Double?
) -> ExpectedLocation {
    ExpectedLocation(address: address, prefixLength: prefixLength, continent: continent, country: country,
                     subdivision: subdivision, latitude: latitude, longitude: longitude)
}

/// IPv4 expectations hold in all three fixtures (the IPv6 ones store IPv4 in ::/96).
let expectedIPv4Locations: [ExpectedLocation] = [
    // Nested networks: /8 ⊃ /16 ⊃ /24 ⊃ /32.
    expect("8.8.8.8", 32, "NA", "US", "TX", 30.27, -97.74),
    expect("8.8.8.9", 32, "NA", "US", "NY", 40.71, -74.01),
    expect("8.8.4.4", 21, "NA", "US", "CA", 37.39, -122.08),
    expect("8.1.1.1", 13, "NA", "US", nil, 37.75, -97.82),
    expect("81.2.69.200", 25, "EU", "GB", "SCT", 55.95, -3.19),
    expect("81.2.69.1", 25, "EU", "GB", "ENG", 51.51, -0.13),
    expect("81.3.0.1", 16, "EU", "DE", "HE", 50.11, 8.68),
    expect("1.1.1.1", 8, "OC", "AU", nil, -33.87, 151.21),
    expect("45.1.1.1", 8, "SA", "BR", "SP", -23.55, -46.63),
    expect("41.1.1.1", 8, "AF", "ZA", "WC", -33.92, 18.42),
    expect("100.1.1.1", 8, "AN", "AQ", nil, -77.85, 166.67),
    expect("150.1.1.1", 8, "EU", "XK", nil, 42.66, 21.17),
    // The database says AS for TR and CY, EU for GE: Route 53's table wins.
    expect("85.1.2.3", 8, "EU", "TR", "34", 41.01, 28.98),
    expect("185.1.1.1", 8, "EU", "CY", nil, 35.17, 33.36),
    expect("31.1.1.1", 8, "AS", "GE", nil, 41.72, 44.79),
    // Sparse records: the continent comes from the table when only the country is known.
    expect("210.1.1.1", 8, "AS", "KR", nil, nil, nil),
    expect("220.1.1.1", 8, "AS", nil, nil, nil, nil),
]

let expectedIPv6Locations: [ExpectedLocation] = [
    expect("2001:db8::1", 48, "NA", "US", "WA", 47.61, -122.33),
    expect("2001:db8:1:2::5", 64, "NA", "US", "DC", 38.9, -77.04),
    expect("2001:db8:1:3::1", 64, "NA", "US", "OR", 45.52, -122.68),
    expect("2001:db8:ffff::1", 33, "NA", "US", "WA", 47.61, -122.33),
    expect("2400:cb00::1", 32, "AS", "SG", nil, 1.35, 103.82),
    expect("2800:1234::1", 12, "SA", "BR", nil, -15.79, -47.88),
    // IPv4 stored in ::/96 is reachable as an IPv6 address too, with a 96-bit longer prefix.
    expect("::8.8.8.8", 128, "NA", "US", "TX", 30.27, -97.74),
]

/// Addresses no fixture has data for, and the prefix length of the empty network.
let expectedIPv4Misses: [(address: String, prefixLength: Int)] = [
    ("9.9.9.9", 8), ("0.0.0.1", 8), ("255.255.255.255", 3),
]
let expectedIPv6Misses: [(address: String, prefixLength: Int)] = [
    ("2001:dead::1", 17), ("ffff::1", 1),
    // No ::ffff:0:0/96 alias in these files: a mapped address is not looked up as IPv4.
    ("::ffff:8.8.8.8", 81),
]

extension GeoIPTests {
    @Suite struct MaxMindDatabaseTests {
        static let ipv6Files = [GeoIPFixtures.ipv6Record24, GeoIPFixtures.ipv6Record28]

        @Test(arguments: [(GeoIPFixtures.ipv6Record24, 24, 6), (GeoIPFixtures.ipv6Record28, 28, 6), (GeoIPFixtures.ipv4Record32, 32, 4)])
        func metadataDescribesTheFixture(path: String, recordSize: Int, ipVersion: Int) throws {
            let db = try MaxMindDatabase(contentsOf: path)
            #expect(db.metadata.recordSize == recordSize)
            #expect(db.metadata.ipVersion == ipVersion)
            #expect(db.metadata.databaseType == "Switchyard-Test-City")
            #expect(db.metadata.languages == ["en", "de"])
            #expect(db.metadata.description["en"] == "Switchyard GeoIP reader test fixture")
            #expect(db.metadata.buildEpoch == 1_700_000_000)
            #expect(db.metadata.binaryFormatMajorVersion == 2)
            #expect(db.metadata.nodeCount > 100)
        }

        @Test(arguments: GeoIPFixtures.all, expectedIPv4Locations)
        func ipv4LocationsMatchTheFixtureInEveryRecordSize(path: String, expected: ExpectedLocation) throws {
            let db = try MaxMindDatabase(contentsOf: path)
            let address = try #require(IPAddress(expected.address))
            #expect(db.location(for: address) == expected.location)
            #expect(db.search(address).prefixLength == expected.prefixLength)
        }

        @Test(arguments: ipv6Files, expectedIPv6Locations)
        func ipv6LocationsMatchTheFixture(path: String, expected: ExpectedLocation) throws {
            let db = try MaxMindDatabase(contentsOf: path)
            let address = try #require(IPAddress(expected.address))
            #expect(db.location(for: address) == expected.location)
        }

        @Test(arguments: GeoIPFixtures.all)
        func missesReportTheEmptyNetworksPrefixLength(path: String) throws {
            let db = try MaxMindDatabase(contentsOf: path)
            var misses = expectedIPv4Misses
            if db.metadata.ipVersion == 6 { misses += expectedIPv6Misses }
            for miss in misses {
                let address = try #require(IPAddress(miss.address))
                #expect(db.search(address) == MMDBSearchResult(prefixLength: miss.prefixLength, dataOffset: nil), "\(miss.address)")
                #expect(try db.lookup(address) == nil)
                #expect(db.location(for: address) == nil)
            }
        }

        @Test func ipv6AddressesFindNothingInAnIPv4Database() throws {
            let db = try MaxMindDatabase(contentsOf: GeoIPFixtures.ipv4Record32)
            let result = db.search(try #require(IPAddress("2001:db8::1")))
            #expect(result == MMDBSearchResult(prefixLength: 0, dataOffset: nil))
        }

        @Test(arguments: GeoIPFixtures.all)
        func lookupDecodesTheWholeRecord(path: String) throws {
            let db = try MaxMindDatabase(contentsOf: path)
            let address = try #require(IPAddress("45.1.1.1"))
            let found = try #require(try db.lookup(address))
            #expect(found.prefixLength == 8)
            let record = found.record
            #expect(record["city"]?["names"]?["en"]?.stringValue == "São Paulo")
            #expect(record["continent"]?["names"]?["de"]?.stringValue == "Kontinent SA")
            #expect(record["location"]?["accuracy_radius"]?.intValue == 100)
            #expect(record["subdivisions"]?[1]?["iso_code"]?.stringValue == "ZZ")
            #expect(record["registered_country"]?["iso_code"]?.stringValue == "BR")
        }

        @Test(arguments: GeoIPFixtures.all)
        func everyValueTypeDecodes(path: String) throws {
            let db = try MaxMindDatabase(contentsOf: path)
            let address = try #require(IPAddress("198.51.100.7"))
            let found = try #require(try db.lookup(address))
            #expect(found.prefixLength == 24)
            let types = try #require(found.record["types"]?.mapValue)
            #expect(types["u16"] == .uint16(65535))
            #expect(types["u32"] == .uint32(4_294_967_295))
            #expect(types["u64"] == .uint64(.max))
            #expect(types["u128"] == .uint128(high: .max, low: .max))
            #expect(types["u128_small"] == .uint128(high: 0, low: 7))
            #expect(types["i32"] == .int32(-12345))
            #expect(types["i32_positive"] == .int32(77))
            #expect(types["f32"] == .float(1.5))
            #expect(types["f64"] == .double(3.25))
            #expect(types["bool_t"] == .bool(true))
            #expect(types["bool_f"] == .bool(false))
            #expect(types["bytes"] == .bytes([0x00, 0x01, 0xFE, 0xFF]))
            #expect(types["array"] == .array([.string("one"), .string("two"), .array([.string("nested"), .string("array")])]))
            #expect(types["empty_map"] == .map([:]))
            #expect(types["empty_string"] == .string(""))
            #expect(types["utf8"] == .string("São Paulo — Zürich — 東京"))
            #expect(types["string_29_plus"] == .string(String(repeating: "y", count: 100)))
            #expect(types["string_285_plus"] == .string(String(repeating: "x", count: 300)))
        }

        @Test(arguments: GeoIPFixtures.all)
        func searchOffsetsAgreeWithLookupAndLocation(path: String) throws {
            let db = try MaxMindDatabase(contentsOf: path)
            let address = try #require(IPAddress("8.8.4.4"))
            let result = db.search(address)
            let offset = try #require(result.dataOffset)
            #expect(try db.record(atDataOffset: offset) == db.lookup(address)?.record)
            var location = try db.location(atDataOffset: offset)
            #expect(location.prefixLength == 0)
            location.prefixLength = result.prefixLength
            #expect(location == db.location(for: address))
        }

        @Test func recordSizesReadTheSameTree() throws {
            let small = try MaxMindDatabase(contentsOf: GeoIPFixtures.ipv6Record24)
            let medium = try MaxMindDatabase(contentsOf: GeoIPFixtures.ipv6Record28)
            for text in ["8.8.8.8", "81.2.69.1", "2001:db8:1:2::5", "2800::1", "9.9.9.9"] {
                let address = try #require(IPAddress(text))
                #expect(small.search(address) == medium.search(address), "\(text)")
            }
        }

        @Test func missingFileIsReportedWithItsPath() {
            #expect(throws: MMDBError.unreadable(path: "/nonexistent/x.mmdb", reason: "no such file")) {
                try MaxMindDatabase(contentsOf: "/nonexistent/x.mmdb")
            }
        }
    }
}
