/// What is wrong with a geolocation or latency code, worded for a zone file's error
/// message, with the nearest valid code when the mistake is a common one (a wrong case,
/// `UK` for `GB`, an alpha-3 code, a continent given as a country).
extension Route53Geography {
    /// Common codes that are not ISO 3166-1 alpha-2, and the code Route 53 uses instead.
    static let countryAliases: [String: String] = [
        "UK": "GB", "EL": "GR",
        "USA": "US", "GBR": "GB", "DEU": "DE", "FRA": "FR", "CAN": "CA", "AUS": "AU", "JPN": "JP",
        "CHN": "CN", "IND": "IN", "BRA": "BR", "MEX": "MX", "ESP": "ES", "ITA": "IT", "NLD": "NL",
        "IRL": "IE", "SGP": "SG", "KOR": "KR", "RUS": "RU", "ZAF": "ZA", "CHE": "CH", "SWE": "SE",
    ]

    /// US territories, which ISO 3166-1 and Route 53 treat as countries of their own.
    static let usTerritories: Set<String> = ["AS", "GU", "MP", "PR", "UM", "VI"]

    static let continentNames: [String: String] = {
        var map: [String: String] = [:]
        for (code, name) in continents { map[String(name.uppercased().filter { $0 != " " })] = code }
        return map
    }()

    static var continentList: String { continents.keys.sorted().joined(separator: ", ") }

    /// Why `text` is not a continent code, or nil when it is one (in any case).
    public static func continentProblem(_ text: String) -> String? {
        let code = text.uppercased()
        if continents[code] != nil { return nil }
        if let named = continentNames[String(code.filter { $0 != " " && $0 != "-" && $0 != "_" })] {
            return "unknown continent '\(text)' (did you mean continent=\(named)?)"
        }
        if countries[code] != nil {
            return "unknown continent '\(text)' (\(code) is a country: did you mean country=\(code)?)"
        }
        return "unknown continent '\(text)' (Route 53 has \(continentList))"
    }

    /// Why `text` is not a country code Route 53 accepts, or nil when it is one (in any case).
    public static func countryProblem(_ text: String) -> String? {
        let code = text.uppercased()
        if countries[code] != nil { return nil }
        if let alias = countryAliases[code] {
            return "unknown country '\(text)' (did you mean \(alias)? Route 53 uses ISO 3166-1 alpha-2 codes)"
        }
        if continents[code] != nil {
            return "unknown country '\(text)' (\(code) is a continent: did you mean continent=\(code)?)"
        }
        if unsupportedCountries.contains(code) {
            return "Route 53 has no geolocation for country '\(text)' (it refuses \(unsupportedCountries.sorted().joined(separator: ", ")))"
        }
        return "unknown country '\(text)' (expected an ISO 3166-1 alpha-2 code such as US, or *)"
    }

    /// Why `text` is not a subdivision Route 53 accepts for `country` (a valid country
    /// code, any case), or nil when it is one (in any case).
    public static func subdivisionProblem(_ text: String, country: String) -> String? {
        let code = text.uppercased()
        let country = country.uppercased()
        guard let known = subdivisions[country] else {
            let with = subdivisions.keys.sorted().joined(separator: ", ")
            return "Route 53 has no subdivisions for country \(country), only for \(with): not '\(text)'"
        }
        if known.contains(code) { return nil }
        if code.hasPrefix(country + "-"), known.contains(String(code.dropFirst(country.count + 1))) {
            return "unknown \(country) subdivision '\(text)' (did you mean \(code.dropFirst(country.count + 1))?)"
        }
        if country == "US" && usTerritories.contains(code) {
            return "unknown US subdivision '\(text)' (\(code) is a country in Route 53: did you mean country=\(code)?)"
        }
        return "unknown \(country) subdivision '\(text)' (Route 53 accepts \(known.count) codes such as \(known.sorted().prefix(3).joined(separator: ", ")))"
    }

    /// Why `name` is not an AWS Region a latency set may name, or nil when it is one.
    /// Region names are lower case, as AWS writes them.
    public static func regionProblem(_ name: String) -> String? {
        if regionsByName[name] != nil { return nil }
        if regionsByName[name.lowercased()] != nil {
            return "unknown AWS region '\(name)' (did you mean \(name.lowercased())? Region names are lower case)"
        }
        let distances = regions.map { (name: $0.name, distance: editDistance(name.lowercased(), $0.name)) }
        let best = distances.map(\.distance).min() ?? .max
        let nearest = distances.filter { $0.distance == best }
        if best <= 2 && nearest.count == 1 {
            return "unknown AWS region '\(name)' (did you mean \(nearest[0].name)?)"
        }
        return "unknown AWS region '\(name)' (expected a Region code such as us-east-1)"
    }

    /// Levenshtein distance over UTF-8 bytes (region names are ASCII).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
