import GeoIP
import Testing

extension GeoIPTests {
    @Suite struct Route53ContinentsTests {
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
            let code = try #require(GeoCode(country))
        #expect(Route53Continents.continent(ofCountry: code)?.description == continent)
        }

        @Test func tableCoversISO3166ExceptTheFourRoute53Refuses() {
            let countries = Route53Continents.allCountries
            // 249 ISO 3166-1 codes, less BV, CX, EH and HM, plus XK.
            #expect(countries.count == 246)
            for refused in Route53Continents.unsupportedCountries {
                #expect(Route53Continents.continent(ofCountry: refused) == nil, "\(refused)")
            }
            #expect(Set(countries.values) == Route53Continents.continentCodes)
            #expect(countries.keys.allSatisfy { $0.description.count == 2 && $0.description.allSatisfy(\.isUppercase) })
            #expect(Route53Continents.continent(ofCountry: "us") == nil)
            #expect(Route53Continents.continent(ofCountry: "ZZ") == nil)
        }

        @Test func continentCodesAreTheSeven() {
            #expect(Route53Continents.continentCodes == ["AF", "AN", "AS", "EU", "NA", "OC", "SA"])
        }

        @Test func usSubdivisionsAreTheStatesAndDC() {
            let subdivisions = Route53Continents.usSubdivisions
            #expect(subdivisions.count == 51)
            #expect(subdivisions.isSuperset(of: ["CA", "NY", "TX", "WA", "DC", "AK", "HI"]))
            // Territories are countries in Route 53, not subdivisions of US.
            #expect(subdivisions.isDisjoint(with: ["PR", "GU", "VI", "AS", "MP", "UM"]))
        }
    }
}
