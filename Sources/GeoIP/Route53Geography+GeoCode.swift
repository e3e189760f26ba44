import Routing

/// Route 53's geography (`Route53Geography`) keyed by packed `GeoCode`s, for the tables
/// and decoders that carry codes in that form.
extension Route53Geography {
    /// The seven continent codes.
    public static let continentCodes: Set<GeoCode> = Set(continents.keys.map { GeoCode($0)! })

    private static let continentByCountry: [GeoCode: GeoCode] = {
        var map: [GeoCode: GeoCode] = [:]
        for (country, continent) in countries { map[GeoCode(country)!] = GeoCode(continent)! }
        return map
    }()

    /// The continent Route 53 files `country` under, or nil for a code it does not accept.
    public static func continent(ofCountry country: GeoCode) -> GeoCode? {
        continentByCountry[country]
    }

    /// True for a country code Route 53 accepts in a geolocation record.
    public static func isKnownCountry(_ country: GeoCode) -> Bool {
        continentByCountry[country] != nil
    }

    /// True for a country Route 53 lists in ISO 3166-1 but refuses records for.
    public static func isUnsupportedCountry(_ country: GeoCode) -> Bool {
        unsupportedCountries.contains(country.description)
    }

    /// True when `subdivision` is one Route 53 accepts for `country`.
    public static func isSubdivision(_ subdivision: GeoCode, of country: GeoCode) -> Bool {
        isSubdivision(subdivision.description, of: country.description)
    }
}
