import GeoIP
import Routing
import Testing

/// Route 53's one geography table: continents, countries, subdivisions and Regions, and
/// the problems the zone validator reports from it.
@Suite struct Route53GeographyTests {
    @Test(arguments: [
        // Route 53's own placements, which differ from some GeoIP databases.
        ("TR", "EU"), ("RU", "EU"), ("CY", "EU"), ("AM", "AS"), ("AZ", "AS"), ("GE", "AS"),
        ("XK", "EU"), ("UA", "EU"),
        ("US", "NA"), ("BR", "SA"), ("AU", "OC"), ("AQ", "AN"), ("ZA", "AF"),
        ("PR", "NA"), ("GU", "OC"), ("EG", "AF"), ("IL", "AS"), ("GL", "NA"), ("TF", "AN"),
        // Country codes that spell a continent code mean the country.
        ("NA", "AF"), ("AS", "OC"),
    ])
    func countriesSitOnRoute53sContinents(country: String, continent: String) throws {
        #expect(Route53Geography.continent(ofCountry: country) == continent)
        // The packed form GeoIP uses reads the same table.
        #expect(Route53Geography.continent(ofCountry: try #require(GeoCode(country)))?.description == continent)
    }

    @Test func tableCoversISO3166ExceptTheFourRoute53Refuses() {
        let countries = Route53Geography.countries
        // 249 ISO 3166-1 codes, less BV, CX, EH and HM, plus XK.
        #expect(countries.count == 246)
        for refused in Route53Geography.unsupportedCountries {
            #expect(Route53Geography.continent(ofCountry: refused) == nil, "\(refused)")
        }
        #expect(Set(countries.values) == Set(Route53Geography.continents.keys))
        #expect(countries.keys.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isUppercase) })
        #expect(Route53Geography.continent(ofCountry: "us") == nil)
        #expect(Route53Geography.continent(ofCountry: "ZZ") == nil)
    }

    @Test func continentCodesAreTheSeven() {
        #expect(Set(Route53Geography.continents.keys) == ["AF", "AN", "AS", "EU", "NA", "OC", "SA"])
        #expect(Route53Geography.continentCodes == ["AF", "AN", "AS", "EU", "NA", "OC", "SA"])
    }

    @Test func onlyUSHasSubdivisionsTheStatesAndDC() {
        #expect(Array(Route53Geography.subdivisions.keys) == ["US"])
        let states = Route53Geography.subdivisions["US"] ?? []
        #expect(states.count == 51)
        #expect(states.isSuperset(of: ["CA", "NY", "TX", "WA", "DC", "AK", "HI"]))
        // Territories are countries in Route 53, not subdivisions of US.
        #expect(states.isDisjoint(with: ["PR", "GU", "VI", "AS", "MP", "UM"]))
        #expect(Route53Geography.isSubdivision("CA", of: "US"))
        #expect(!Route53Geography.isSubdivision("ENG", of: "GB"))
    }

    @Test func regionsAreUniqueLowerCaseAndIndexed() {
        let names = Route53Geography.regions.map(\.name)
        #expect(names.count == 38)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0 == $0.lowercased() })
        #expect(Route53Geography.regionsByName.count == names.count)
        // GeoIP's distance code reads the same list.
        #expect(AWSRegions.all.map(\.name) == names)
    }

    @Test(arguments: [
        ("EU", nil), ("eu", nil),
        ("XX", "unknown continent 'XX' (Route 53 has AF, AN, AS, EU, NA, OC, SA)"),
        ("US", "unknown continent 'US' (US is a country: did you mean country=US?)"),
        ("Europe", "unknown continent 'Europe' (did you mean continent=EU?)"),
        ("north america", "unknown continent 'north america' (did you mean continent=NA?)"),
    ] as [(String, String?)])
    func continentProblems(text: String, problem: String?) {
        #expect(Route53Geography.continentProblem(text) == problem)
    }

    @Test(arguments: [
        ("GB", nil), ("ua", nil), ("XK", nil),
        ("UK", "unknown country 'UK' (did you mean GB? Route 53 uses ISO 3166-1 alpha-2 codes)"),
        ("USA", "unknown country 'USA' (did you mean US? Route 53 uses ISO 3166-1 alpha-2 codes)"),
        ("EU", "unknown country 'EU' (EU is a continent: did you mean continent=EU?)"),
        ("BV", "Route 53 has no geolocation for country 'BV' (it refuses BV, CX, EH, HM)"),
        ("ZZ", "unknown country 'ZZ' (expected an ISO 3166-1 alpha-2 code such as US, or *)"),
    ] as [(String, String?)])
    func countryProblems(text: String, problem: String?) {
        #expect(Route53Geography.countryProblem(text) == problem)
    }

    @Test(arguments: [
        ("CA", "US", nil), ("dc", "us", nil),
        ("ZZ", "US", "unknown US subdivision 'ZZ' (Route 53 accepts 51 codes such as AK, AL, AR)"),
        ("US-CA", "US", "unknown US subdivision 'US-CA' (did you mean CA?)"),
        ("PR", "US", "unknown US subdivision 'PR' (PR is a country in Route 53: did you mean country=PR?)"),
        ("ENG", "GB", "Route 53 has no subdivisions for country GB, only for US: not 'ENG'"),
        ("30", "UA", "Route 53 has no subdivisions for country UA, only for US: not '30'"),
    ] as [(String, String, String?)])
    func subdivisionProblems(text: String, country: String, problem: String?) {
        #expect(Route53Geography.subdivisionProblem(text, country: country) == problem)
    }

    @Test(arguments: [
        ("us-east-1", nil), ("ap-southeast-7", nil),
        ("US-EAST-1", "unknown AWS region 'US-EAST-1' (did you mean us-east-1? Region names are lower case)"),
        ("us-east1", "unknown AWS region 'us-east1' (did you mean us-east-1?)"),
        ("eu-west-9", "unknown AWS region 'eu-west-9' (expected a Region code such as us-east-1)"),
        ("mars-north-1", "unknown AWS region 'mars-north-1' (expected a Region code such as us-east-1)"),
    ] as [(String, String?)])
    func regionProblems(name: String, problem: String?) {
        #expect(Route53Geography.regionProblem(name) == problem)
    }
}
