import DNSWire
import Testing

/// Address text as zone files and CSV tables write it: what parses (printed back in
/// canonical form) and what does not.
@Suite struct PresentationAddressTests {
    static let validV6: [(String, String)] = [
        ("::", "::"), ("::1", "::1"), ("1::", "1::"), ("2001:DB8::1", "2001:db8::1"),
        ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8:85a3::8a2e:370:7334"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"), ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"), ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
    ]
    static let invalidV6 = ["1:::2", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", ":1::", "1:", ":1", "g::1",
                            "1:2:3:4:5:6:7", "", "::ffff:1.2.3", "1.2.3.4::", "::1.2.3.4:5"]
    static let invalidV4 = ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.a", "", "1234.1.1.1"]

    @Test(arguments: validV6)
    func validIPv6Parses(_ text: String, _ canonical: String) {
        #expect(IPv6Address(presentation: Array(text.utf8))?.description == canonical)
    }

    @Test(arguments: invalidV6)
    func invalidIPv6IsRefused(_ text: String) {
        #expect(IPv6Address(presentation: Array(text.utf8)) == nil)
    }

    @Test(arguments: invalidV4)
    func invalidIPv4IsRefused(_ text: String) {
        #expect(IPv4Address(presentation: Array(text.utf8)) == nil)
    }
}
