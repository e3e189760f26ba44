import DNSWire
import Routing

/// The `--geo-networks` table: client prefixes mapped to locations by hand, for test
/// domains and drills where a GeoIP database would be overkill or would not know the
/// test networks.
///
/// The file is CSV with the header `prefix,continent,country,subdivision,latitude,longitude`
/// and rows such as `10.1.0.0/16,NA,US,CA,37.77,-122.42`. Any field but the prefix may
/// be empty. Codes follow Route 53: an empty continent is filled from the country by
/// Route 53's table, and a continent that contradicts the table is an error, as is a US
/// subdivision Route 53 does not list. The longest prefix containing the client wins.
public struct GeoNetworksTable: GeoLocating {
    public static let header = "prefix,continent,country,subdivision,latitude,longitude"

    /// One row: its prefix, its location (`prefixLength` = the prefix's length) and line.
    public struct Entry: Hashable, Sendable {
        public var prefix: IPPrefix
        public var location: GeoLocation
        public var line: Int
    }

    /// The rows in file order.
    public let entries: [Entry]
    let trie: PrefixTrie

    /// Reads and checks the file at `path`.
    public init(contentsOf path: String) throws(TableFileError) {
        try self.init(parsing: CSVTable.read(path), file: path)
    }

    /// Parses a file's contents; `file` names it in errors.
    public init(parsing bytes: [UInt8], file: String) throws(TableFileError) {
        var entries: [Entry] = []
        var firstLine: [IPPrefix: Int] = [:]
        var builder = PrefixTrieBuilder()
        for row in try CSVTable.rows(bytes, file: file, header: Self.header) {
            let entry = try Self.entry(row, file: file)
            if let earlier = firstLine[entry.prefix] {
                throw row.error(0, "duplicate prefix \(entry.prefix) (first given on line \(earlier))", file: file)
            }
            firstLine[entry.prefix] = row.line
            builder.insert(entry.prefix, leaf: entries.count)
            entries.append(entry)
        }
        self.entries = entries
        trie = builder.build()
    }

    public func locate(_ address: IPAddress) -> GeoLookupResult {
        let (leaf, prefixLength) = trie.lookup(address)
        guard let leaf else { return GeoLookupResult(location: nil, prefixLength: prefixLength) }
        var location = entries[leaf].location
        location.prefixLength = prefixLength
        return GeoLookupResult(location: location, prefixLength: prefixLength)
    }

    /// The row whose prefix is the longest to contain `address`, and the prefix length
    /// the answer holds for. That length can exceed the row's own when a longer row sits
    /// inside it: 10.2.0.1 matches a /8 row, but with a /16 row at 10.1.0.0 the answer
    /// holds only for 10.2.0.0/15.
    public func match(_ address: IPAddress) -> (entry: Entry, prefixLength: Int)? {
        let (leaf, prefixLength) = trie.lookup(address)
        guard let leaf else { return nil }
        return (entries[leaf], prefixLength)
    }

    private static func entry(_ row: CSVRow, file: String) throws(TableFileError) -> Entry {
        let prefix = try CSVTable.prefix(row, 0, file: file)
        let continentHint = "(expected one of AF, AN, AS, EU, NA, OC, SA)"
        let countryHint = "(expected an ISO 3166-1 alpha-2 code such as US)"
        // Codes that do not even fit a GeoCode get the same message as unknown ones.
        func code(_ index: Int, _ what: String, _ hint: String) throws(TableFileError) -> GeoCode? {
            let text = row.fields[index].text
            if text.isEmpty { return nil }
            guard let code = GeoCode(text) else { throw row.error(index, "unknown \(what) '\(text)' \(hint)", file: file) }
            return code
        }
        var continent = try code(1, "continent code", continentHint)
        let country = try code(2, "country code", countryHint)
        if let continent, !Route53Geography.continentCodes.contains(continent) {
            throw row.error(1, "unknown continent code '\(continent)' \(continentHint)", file: file)
        }
        if let country {
            guard Route53Geography.isKnownCountry(country) || Route53Geography.isUnsupportedCountry(country) else {
                throw row.error(2, "unknown country code '\(country)' \(countryHint)", file: file)
            }
            let listed = Route53Geography.continent(ofCountry: country)
            if let continent, let listed, continent != listed {
                throw row.error(1, "continent \(continent) contradicts country \(country), which Route 53 places in \(listed)", file: file)
            }
            continent = continent ?? listed
        }
        let subdivisionText = row.fields[3].text
        let subdivision = subdivisionText.isEmpty ? nil : GeoCode(subdivisionText)
        if !subdivisionText.isEmpty {
            try checkSubdivision(subdivisionText, country: country, row: row, file: file)
        }
        let latitude = try coordinate(row, 4, name: "latitude", limit: 90, file: file)
        let longitude = try coordinate(row, 5, name: "longitude", limit: 180, file: file)
        if (latitude == nil) != (longitude == nil) {
            let missing = latitude == nil ? 4 : 5
            throw row.error(missing, "latitude and longitude must be given together", file: file)
        }
        let location = GeoLocation(
            continent: continent, country: country, subdivision: subdivision,
            latitude: latitude, longitude: longitude, prefixLength: prefix.length
        )
        return Entry(prefix: prefix, location: location, line: row.line)
    }

    private static func checkSubdivision(
        _ subdivision: String, country: GeoCode?, row: CSVRow, file: String
    ) throws(TableFileError) {
        guard let country else {
            throw row.error(3, "subdivision '\(subdivision)' needs a country", file: file)
        }
        if Route53Geography.subdivisions[country.description] != nil {
            guard let code = GeoCode(subdivision), Route53Geography.isSubdivision(code, of: country) else {
                throw row.error(3, "unknown \(country) subdivision '\(subdivision)' (expected a state code or DC)", file: file)
            }
            return
        }
        // ISO 3166-2 subdivision codes are one to three upper-case letters or digits.
        let valid = (1...3).contains(subdivision.utf8.count) && subdivision.utf8.allSatisfy {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        }
        guard valid else {
            throw row.error(3, "bad subdivision code '\(subdivision)' (expected 1 to 3 upper-case letters or digits)", file: file)
        }
    }

    private static func coordinate(
        _ row: CSVRow, _ index: Int, name: String, limit: Double, file: String
    ) throws(TableFileError) -> Double? {
        let text = row.fields[index].text
        if text.isEmpty { return nil }
        guard let value = CSVTable.decimal(text), abs(value) <= limit else {
            throw row.error(index, "bad \(name) '\(text)': expected a decimal number from -\(Int(limit)) to \(Int(limit))", file: file)
        }
        return value
    }
}
