import DNSWire
import Testing

/// The zone parser reads addresses from bytes; those readers must agree with the string
/// ones on every valid and invalid form.
@Suite struct PresentationAddressTests {
    static let v6: [String] = [
        "::", "::1", "1::", "2001:db8::1", "2001:db8:0:0:1:0:0:1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "fe80::1:2:3:4", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "ABCD::EF",
        "1:::2", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", ":1::", "1:", ":1", "g::1", "1:2:3:4:5:6:7", "", "::ffff:1.2.3",
    ]
    static let v4: [String] = ["192.0.2.1", "0.0.0.0", "255.255.255.255", "10.1.2.3", "256.1.1.1", "1.2.3", "1.2.3.4.5",
                               "01.2.3.4", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.a", "", "1234.1.1.1"]

    @Test(arguments: v6)
    func ipv6BytesAgreeWithText(_ text: String) {
        #expect(IPv6Address(presentation: Array(text.utf8)) == IPv6Address(text))
    }

    @Test(arguments: v4)
    func ipv4BytesAgreeWithText(_ text: String) {
        #expect(IPv4Address(presentation: Array(text.utf8)) == IPv4Address(text))
    }
}
