import GeoIP
import Testing

extension GeoIPTests {
    @Suite struct GeoCodeTests {
        @Test(arguments: ["A", "EU", "US", "ENG", "13", "AB12"])
        func validCodesRoundTrip(text: String) throws {
            let code = try #require(GeoCode(text))
            #expect(code.description == text)
            #expect(GeoCode(utf8: Array(text.utf8)) == code)
        }

        @Test(arguments: ["", "ABCDE", "U S", "ü", "US\n", "Europe"])
        func invalidCodesAreRefused(text: String) {
            #expect(GeoCode(text) == nil)
        }

        @Test func codesCompareAlphabeticallyAndByValue() {
            let sorted: [GeoCode] = ["A", "AB", "ABC", "B", "EU", "US"]
            #expect(sorted.shuffled().sorted() == sorted)
            #expect(GeoCode("US") == "US")
            #expect(GeoCode("US") != "USA")
        }
    }
}
