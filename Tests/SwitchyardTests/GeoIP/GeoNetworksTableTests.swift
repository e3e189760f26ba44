import DNSWire
import GeoIP
import Testing

extension GeoIPTests {
    @Suite struct GeoNetworksTableTests {
        static let sample = """
            prefix,continent,country,subdivision,latitude,longitude
            0.0.0.0/0,,,,,
            10.0.0.0/8,EU,DE,,50.11,8.68
            10.1.0.0/16,NA,US,CA,37.77,-122.42
            10.1.2.0/24,,US,NY,40.71,-74.01
            10.1.2.3/32,,AU,,-33.87,151.21
            192.0.2.0/24,,TR,,,
            2001:db8::/32,,GB,ENG,51.51,-0.13
            2001:db8:1::/48,SA,BR,,,

            """

        static func table(_ text: String = sample) throws -> GeoNetworksTable {
            try GeoNetworksTable(parsing: Array(text.utf8), file: "geo.csv")
        }

        @Test(arguments: [
            // Longest prefix wins through four levels of nesting; the prefix length is how far
            // the answer holds (10.2.0.1 shares the /8 row, but 10.1.0.0/16 splits it at /15).
            ("10.1.2.3", "AU", 32), ("10.1.2.4", "US", 30), ("10.1.3.1", "US", 24),
            ("10.2.0.1", "DE", 15), ("10.200.0.1", "DE", 9), ("11.0.0.1", nil, 8),
            ("2001:db8::1", "GB", 48), ("2001:db8:1::1", "BR", 48), ("2001:db9::1", nil, 32),
        ] as [(String, String?, Int)])
        func longestPrefixWins(address: String, country: String?, prefixLength: Int) throws {
            let result = try Self.table().locate(try #require(IPAddress(address)))
            #expect(result.location?.country?.description == country)
            #expect(result.prefixLength == prefixLength)
            #expect(result.location.map(\.prefixLength) ?? prefixLength == prefixLength)
        }

        @Test func rowsKeepTheirOwnFieldsAndContinentsComeFromRoute53() throws {
            let table = try Self.table()
            #expect(table.location(for: IPAddress("10.1.2.9")!) == GeoLocation(
                continent: "NA", country: "US", subdivision: "NY", latitude: 40.71, longitude: -74.01, prefixLength: 29))
            #expect(table.location(for: IPAddress("192.0.2.1")!) == GeoLocation(continent: "EU", country: "TR", prefixLength: 24))
            let match = try #require(table.match(IPAddress("10.9.9.9")!))
            #expect(match.entry.prefix == IPPrefix("10.0.0.0/8"))
            #expect(match.entry.line == 3)
            #expect(match.entry.location.prefixLength == 8)
            #expect(match.prefixLength == 13)
            #expect(table.entries.count == 8)
        }

        @Test func aDefaultRowCoversAllOfIPv4ButNotIPv6() throws {
            let table = try Self.table()
            let v4 = table.locate(IPAddress("203.0.113.9")!)
            #expect(v4.location == GeoLocation(prefixLength: 5))
            #expect(table.locate(IPAddress("fe80::1")!) == GeoLookupResult(location: nil, prefixLength: 1))
            let onlyDefault = try Self.table("prefix,continent,country,subdivision,latitude,longitude\n0.0.0.0/0,EU,,,,\n")
            #expect(onlyDefault.locate(IPAddress("198.51.100.1")!).prefixLength == 0)
            #expect(onlyDefault.locate(IPAddress("198.51.100.1")!).location?.continent == "EU")
        }

        @Test func crlfBlankLinesAndBlanksAroundFieldsAreTolerated() throws {
            let text = "\u{FEFF}prefix,continent,country,subdivision,latitude,longitude\r\n\r\n 10.0.0.0/8 , NA ,US , , , \r\n"
            let table = try Self.table(text)
            #expect(table.location(for: IPAddress("10.0.0.1")!) == GeoLocation(continent: "NA", country: "US", prefixLength: 8))
        }

        @Test(arguments: [
            ("", 1, 1, "expected the header line 'prefix,continent,country,subdivision,latitude,longitude', found ''"),
            ("prefix,continent,country\n", 1, 1, "expected the header line 'prefix,continent,country,subdivision,latitude,longitude', found 'prefix,continent,country'"),
            ("10.0.0/8,NA,US,,,", 2, 1, "bad prefix '10.0.0/8': expected ADDRESS/LENGTH such as 192.0.2.0/24 or 2001:db8::/32"),
            ("10.0.0.0/33,NA,US,,,", 2, 1, "bad prefix '10.0.0.0/33': expected ADDRESS/LENGTH such as 192.0.2.0/24 or 2001:db8::/32"),
            ("10.1.0.1/16,NA,US,,,", 2, 1, "bad prefix '10.1.0.1/16': address bits set beyond /16 (did you mean 10.1.0.0/16?)"),
            ("10.0.0.0/8,XX,US,,,", 2, 12, "unknown continent code 'XX' (expected one of AF, AN, AS, EU, NA, OC, SA)"),
            ("10.0.0.0/8,na,,,,", 2, 12, "unknown continent code 'na' (expected one of AF, AN, AS, EU, NA, OC, SA)"),
            ("10.0.0.0/8,,ZZ,,,", 2, 13, "unknown country code 'ZZ' (expected an ISO 3166-1 alpha-2 code such as US)"),
            ("10.0.0.0/8,AS,TR,,,", 2, 12, "continent AS contradicts country TR, which Route 53 places in EU"),
            ("10.0.0.0/8,,,CA,,", 2, 14, "subdivision 'CA' needs a country"),
            ("10.0.0.0/8,,US,PR,,", 2, 16, "unknown US subdivision 'PR' (expected a state code or DC)"),
            ("10.0.0.0/8,,GB,england,,", 2, 16, "bad subdivision code 'england' (expected 1 to 3 upper-case letters or digits)"),
            ("10.0.0.0/8,,US,,91,0", 2, 17, "bad latitude '91': expected a decimal number from -90 to 90"),
            ("10.0.0.0/8,,US,,north,0", 2, 17, "bad latitude 'north': expected a decimal number from -90 to 90"),
            ("10.0.0.0/8,,US,,1e1,0", 2, 17, "bad latitude '1e1': expected a decimal number from -90 to 90"),
            ("10.0.0.0/8,,US,,10,-180.5", 2, 20, "bad longitude '-180.5': expected a decimal number from -180 to 180"),
            ("10.0.0.0/8,,US,,10,", 2, 20, "latitude and longitude must be given together"),
            ("10.0.0.0/8,,US,,", 2, 17, "expected 6 fields (prefix,continent,country,subdivision,latitude,longitude), found 5"),
            ("10.0.0.0/8,,US,,,,x", 2, 19, "expected 6 fields (prefix,continent,country,subdivision,latitude,longitude), found 7"),
            ("10.0.0.0/8,\"NA\",US,,,", 2, 12, "quoted fields are not supported"),
            ("10.0.0.0/8,,US,,,\n10.0.0.0/8,,DE,,,", 3, 1, "duplicate prefix 10.0.0.0/8 (first given on line 2)"),
        ])
        func errorsNameFileLineAndColumn(body: String, line: Int, column: Int, message: String) {
            let text = body.hasPrefix("prefix") || body.isEmpty ? body : GeoNetworksTable.header + "\n" + body + "\n"
            #expect(throws: TableFileError(file: "geo.csv", line: line, column: column, message: message)) {
                try Self.table(text)
            }
        }

        @Test func errorDescriptionIsTheCheckFormat() {
            let error = TableFileError(file: "geo.csv", line: 4, column: 12, message: "unknown continent code 'XX'")
            #expect(error.description == "geo.csv:4:12: error: unknown continent code 'XX'")
        }

        @Test func unreadableFileIsNamed() {
            #expect(throws: TableFileError(file: "/nonexistent/geo.csv", line: 0, column: 0, message: "cannot read: no such file")) {
                try GeoNetworksTable(contentsOf: "/nonexistent/geo.csv")
            }
        }
    }
}
