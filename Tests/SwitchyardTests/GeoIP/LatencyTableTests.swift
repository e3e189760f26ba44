import DNSWire
import GeoIP
import Testing

extension GeoIPTests {
    @Suite struct LatencyTableTests {
        static let sample = """
            client-prefix,region,milliseconds
            10.0.0.0/8,us-east-1,80
            10.0.0.0/8,eu-west-1,20
            10.1.0.0/16,us-east-1,5.5
            2001:db8::/32,ap-southeast-1,120
            10.0.0.0/8,ap-south-1,200
            2001:db8:ff00::/40,ap-southeast-1,30
            2001:db8:ff00::/40,us-west-2,0

            """

        static func table(_ text: String = sample) throws -> LatencyTable {
            try LatencyTable(parsing: Array(text.utf8), file: "latency.csv")
        }

        @Test func rowsOfOnePrefixFormOneEntryEvenWhenApart() throws {
            let table = try Self.table()
            #expect(table.entries.count == 4)
            let match = try #require(table.lookup(IPAddress("10.200.0.1")!))
            #expect(match.milliseconds == ["us-east-1": 80, "eu-west-1": 20, "ap-south-1": 200])
            #expect(match.entry.prefix == IPPrefix("10.0.0.0/8"))
            #expect(match.entry.line == 2)
            #expect(match.prefixLength == 9)
        }

        @Test(arguments: [
            ("10.1.2.3", "10.1.0.0/16", 16), ("10.3.0.1", "10.0.0.0/8", 15),
            ("2001:db8:ff12::1", "2001:db8:ff00::/40", 40), ("2001:db8:1::1", "2001:db8::/32", 33),
        ])
        func longestPrefixWinsForBothFamilies(address: String, prefix: String, prefixLength: Int) throws {
            let client = try #require(IPAddress(address))
            let match = try #require(try Self.table().lookup(client))
            #expect(match.entry.prefix == IPPrefix(prefix))
            #expect(match.prefixLength == prefixLength)
        }

        @Test func aLongerPrefixDoesNotInheritRegions() throws {
            let match = try #require(try Self.table().lookup(IPAddress("10.1.0.1")!))
            #expect(match.milliseconds == ["us-east-1": 5.5])
        }

        @Test func missesReportTheirPrefixLength() throws {
            let table = try Self.table()
            #expect(table.lookup(IPAddress("192.0.2.1")!) == nil)
            #expect(table.prefixLength(for: IPAddress("192.0.2.1")!) == 1)
            #expect(table.lookup(IPAddress("2001:db9::1")!) == nil)
            #expect(table.prefixLength(for: IPAddress("2001:db9::1")!) == 32)
        }

        @Test(arguments: [
            ("client,region,ms\n", 1, 1, "expected the header line 'client-prefix,region,milliseconds', found 'client,region,ms'"),
            ("10.0.0.0/8,us-east-9,10", 2, 12, "unknown region 'us-east-9' (expected an AWS Region such as us-east-1)"),
            ("10.0.0.0/8,us-east-1,-1", 2, 22, "bad milliseconds '-1': expected a non-negative decimal number"),
            ("10.0.0.0/8,us-east-1,fast", 2, 22, "bad milliseconds 'fast': expected a non-negative decimal number"),
            ("10.0.0.0/8,us-east-1,", 2, 22, "bad milliseconds '': expected a non-negative decimal number"),
            ("10.0.0.0/8,us-east-1", 2, 21, "expected 3 fields (client-prefix,region,milliseconds), found 2"),
            ("10.0.0.1/8,us-east-1,3", 2, 1, "bad prefix '10.0.0.1/8': address bits set beyond /8 (did you mean 10.0.0.0/8?)"),
            ("2001:db8::/129,us-east-1,3", 2, 1, "bad prefix '2001:db8::/129': expected ADDRESS/LENGTH such as 192.0.2.0/24 or 2001:db8::/32"),
            ("10.0.0.0/8,us-east-1,3\n10.0.0.0/8,us-east-1,4", 3, 12, "duplicate row for 10.0.0.0/8 and us-east-1 (first given on line 2)"),
        ])
        func errorsNameFileLineAndColumn(body: String, line: Int, column: Int, message: String) {
            let text = body.hasPrefix("client") ? body : LatencyTable.header + "\n" + body + "\n"
            #expect(throws: TableFileError(file: "latency.csv", line: line, column: column, message: message)) {
                try Self.table(text)
            }
        }
    }
}
