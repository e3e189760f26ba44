/// One AWS Region a latency set may name, and the approximate coordinates of the city it
/// is named after (for ranking Regions by distance when no latency table is given).
public struct AWSRegion: Hashable, Sendable {
    public var name: String
    public var city: String
    public var latitude: Double
    public var longitude: Double
}

/// Route 53's geography, once: the continent, country and subdivision codes a
/// geolocation set may use, the country → continent table, and the AWS Regions a
/// latency set may name. The zone validator, the geo-networks table, the MaxMind reader
/// and the latency code all read it (ROUTE53.md §1.3, §1.4).
///
/// Route 53 does not derive continents from any GeoIP database: it ships a fixed list
/// (Developer Guide, "Values for geolocation records", Location, as last published in
/// 2022; editions before April 2020 listed `TR` under Asia), which puts `TR`, `RU` and
/// `CY` in Europe and `AM`, `AZ` and `GE` in Asia, and adds `XK` (Kosovo). The lists
/// below are that table verbatim: every ISO 3166-1 alpha-2 code except the four Route 53
/// refuses (`unsupportedCountries`), plus `XK`. `ListGeoLocations` lists subdivisions for
/// the United States only (the 50 states and DC); `UA` is a plain country there.
public enum Route53Geography {
    /// The seven continent codes, with their names.
    public static let continents: [String: String] = [
        "AF": "Africa", "AN": "Antarctica", "AS": "Asia", "EU": "Europe",
        "NA": "North America", "OC": "Oceania", "SA": "South America",
    ]

    /// Countries listed in ISO 3166-1 for which Route 53 refuses geolocation records
    /// (it has no IP data for them): Bouvet Island, Christmas Island, Western Sahara,
    /// Heard Island and McDonald Islands.
    public static let unsupportedCountries: Set<String> = ["BV", "CX", "EH", "HM"]

    /// The subdivisions Route 53 accepts, by country: with `US`, the 50 states and the
    /// District of Columbia. Territories such as `PR` and `GU` are countries.
    public static let subdivisions: [String: Set<String>] = [
        "US": [
            "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID",
            "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC",
            "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
            "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY",
        ],
    ]

    /// The country table as the Developer Guide prints it: one line of countries per
    /// continent, kept as text so it can be compared with the source by eye.
    static let countryTable: [(continent: String, countries: String)] = [
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

    /// Every country code Route 53 accepts, with the continent it files it under.
    public static let countries: [String: String] = {
        var map: [String: String] = [:]
        for (continent, countries) in countryTable {
            for code in countries.split(separator: " ") { map[String(code)] = continent }
        }
        return map
    }()

    /// Every Region Route 53 latency records may name (its `ResourceRecordSetRegion`
    /// enum, ROUTE53.md §1.3, plus Regions opened since), in the order AWS lists them.
    /// Coordinates are those of the city each Region is publicly associated with (to
    /// about 0.01°); AWS does not publish data-centre locations. The GovCloud Regions sit
    /// with their commercial neighbours in Ohio and Oregon.
    public static let regions: [AWSRegion] = [
        AWSRegion(name: "us-east-1", city: "Ashburn, Virginia", latitude: 39.04, longitude: -77.49),
        AWSRegion(name: "us-east-2", city: "Columbus, Ohio", latitude: 39.96, longitude: -83.00),
        AWSRegion(name: "us-west-1", city: "San Jose, California", latitude: 37.34, longitude: -121.89),
        AWSRegion(name: "us-west-2", city: "Boardman, Oregon", latitude: 45.84, longitude: -119.70),
        AWSRegion(name: "af-south-1", city: "Cape Town", latitude: -33.92, longitude: 18.42),
        AWSRegion(name: "ap-east-1", city: "Hong Kong", latitude: 22.32, longitude: 114.17),
        AWSRegion(name: "ap-east-2", city: "Taipei", latitude: 25.03, longitude: 121.57),
        AWSRegion(name: "ap-south-1", city: "Mumbai", latitude: 19.08, longitude: 72.88),
        AWSRegion(name: "ap-south-2", city: "Hyderabad", latitude: 17.39, longitude: 78.49),
        AWSRegion(name: "ap-southeast-1", city: "Singapore", latitude: 1.35, longitude: 103.82),
        AWSRegion(name: "ap-southeast-2", city: "Sydney", latitude: -33.87, longitude: 151.21),
        AWSRegion(name: "ap-southeast-3", city: "Jakarta", latitude: -6.21, longitude: 106.85),
        AWSRegion(name: "ap-southeast-4", city: "Melbourne", latitude: -37.81, longitude: 144.96),
        AWSRegion(name: "ap-southeast-5", city: "Kuala Lumpur", latitude: 3.14, longitude: 101.69),
        AWSRegion(name: "ap-southeast-6", city: "Auckland", latitude: -36.85, longitude: 174.76),
        AWSRegion(name: "ap-southeast-7", city: "Bangkok", latitude: 13.76, longitude: 100.50),
        AWSRegion(name: "ap-northeast-1", city: "Tokyo", latitude: 35.68, longitude: 139.69),
        AWSRegion(name: "ap-northeast-2", city: "Seoul", latitude: 37.57, longitude: 126.98),
        AWSRegion(name: "ap-northeast-3", city: "Osaka", latitude: 34.69, longitude: 135.50),
        AWSRegion(name: "ca-central-1", city: "Montreal", latitude: 45.50, longitude: -73.57),
        AWSRegion(name: "ca-west-1", city: "Calgary", latitude: 51.05, longitude: -114.07),
        AWSRegion(name: "eu-central-1", city: "Frankfurt", latitude: 50.11, longitude: 8.68),
        AWSRegion(name: "eu-central-2", city: "Zurich", latitude: 47.38, longitude: 8.54),
        AWSRegion(name: "eu-west-1", city: "Dublin", latitude: 53.35, longitude: -6.26),
        AWSRegion(name: "eu-west-2", city: "London", latitude: 51.51, longitude: -0.13),
        AWSRegion(name: "eu-west-3", city: "Paris", latitude: 48.86, longitude: 2.35),
        AWSRegion(name: "eu-south-1", city: "Milan", latitude: 45.46, longitude: 9.19),
        AWSRegion(name: "eu-south-2", city: "Zaragoza, Aragon", latitude: 41.65, longitude: -0.88),
        AWSRegion(name: "eu-north-1", city: "Stockholm", latitude: 59.33, longitude: 18.07),
        AWSRegion(name: "il-central-1", city: "Tel Aviv", latitude: 32.09, longitude: 34.78),
        AWSRegion(name: "me-south-1", city: "Manama, Bahrain", latitude: 26.23, longitude: 50.59),
        AWSRegion(name: "me-central-1", city: "Dubai", latitude: 25.20, longitude: 55.27),
        AWSRegion(name: "sa-east-1", city: "São Paulo", latitude: -23.55, longitude: -46.63),
        AWSRegion(name: "mx-central-1", city: "Querétaro", latitude: 20.59, longitude: -100.39),
        AWSRegion(name: "cn-north-1", city: "Beijing", latitude: 39.90, longitude: 116.41),
        AWSRegion(name: "cn-northwest-1", city: "Yinchuan, Ningxia", latitude: 38.49, longitude: 106.23),
        AWSRegion(name: "us-gov-east-1", city: "Columbus, Ohio", latitude: 39.96, longitude: -83.00),
        AWSRegion(name: "us-gov-west-1", city: "Boardman, Oregon", latitude: 45.84, longitude: -119.70),
    ]

    /// The Regions by name.
    public static let regionsByName: [String: AWSRegion] = {
        var map: [String: AWSRegion] = [:]
        for region in regions { map[region.name] = region }
        return map
    }()

    /// The continent Route 53 files `country` under, or nil for a code it does not accept.
    public static func continent(ofCountry country: String) -> String? { countries[country] }

    /// True when `subdivision` is a subdivision Route 53 accepts for `country`.
    public static func isSubdivision(_ subdivision: String, of country: String) -> Bool {
        subdivisions[country]?.contains(subdivision) ?? false
    }
}
