/// Route 53's own country → continent table, and the codes a geolocation record may use.
///
/// Route 53 does not derive continents from any GeoIP database: it ships a fixed list
/// (Developer Guide, "Values for geolocation records", Location, as last published in
/// 2022; earlier editions, before April 2020, listed `TR` under Asia), which puts `TR`,
/// `RU` and `CY` in Europe and `AM`, `AZ` and `GE` in Asia, and adds `XK` (Kosovo). GeoIP
/// databases disagree on some of these, so a client's continent is always taken from
/// this table when its country is known. The lists below are that table verbatim; every
/// ISO 3166-1 alpha-2 code is in it except the four Route 53 does not support
/// (`unsupportedCountries`).
public enum Route53Continents {
    /// The seven continent codes Route 53 accepts.
    public static let continentCodes: Set<GeoCode> = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"]

    /// Countries listed in ISO 3166-1 for which Route 53 refuses geolocation records
    /// (it has no IP data for them): Bouvet Island, Christmas Island, Western Sahara,
    /// Heard Island and McDonald Islands.
    public static let unsupportedCountries: Set<GeoCode> = ["BV", "CX", "EH", "HM"]

    /// The subdivisions Route 53 accepts with `CountryCode=US`: the 50 states and the
    /// District of Columbia. Territories such as `PR` and `GU` are countries, not
    /// subdivisions.
    public static let usSubdivisions: Set<GeoCode> = [
        "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID",
        "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC",
        "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
        "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY",
    ]

    /// The continent Route 53 files `country` under, or nil for a code not in its table.
    public static func continent(ofCountry country: GeoCode) -> GeoCode? {
        countryToContinent[country]
    }

    /// True for a country code Route 53 accepts in a geolocation record.
    public static func isKnownCountry(_ country: GeoCode) -> Bool {
        countryToContinent[country] != nil
    }

    /// Every country code in the table, with its continent.
    public static var allCountries: [GeoCode: GeoCode] { countryToContinent }

    /// The table as the Developer Guide prints it: one line of countries per continent.
    /// Kept as text so it can be compared with the source by eye.
    static let table: [(continent: GeoCode, countries: String)] = [
        ("AF", """
            AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG ER ET GA GH GM GN GQ GW KE KM LR LS LY \
            MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT \
            ZA ZM ZW
            """),
        ("AN", "AQ GS TF"),
        ("AS", """
            AE AF AM AZ BD BH BN BT CC CN GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA \
            LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TM TW UZ VN YE
            """),
        ("EU", """
            AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS \
            IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA XK
            """),
        ("NA", """
            AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ \
            MS MX NI PA PM PR SV SX TC TT US VC VG VI
            """),
        ("OC", """
            AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TL TO TV UM VU WF WS
            """),
        ("SA", "AR BO BR CL CO EC FK GF GY PE PY SR UY VE"),
    ]

    private static let countryToContinent: [GeoCode: GeoCode] = {
        var map: [GeoCode: GeoCode] = [:]
        for (continent, countries) in table {
            for code in countries.split(separator: " ") {
                map[GeoCode(code)!] = continent
            }
        }
        return map
    }()
}
