import DNSWire
import Testing

extension DNSWireTests {
    @Suite struct AddressTests {
        // MARK: IPv4

        @Test(arguments: [
            ("0.0.0.0", UInt32(0)),
            ("192.0.2.1", 0xC000_0201),
            ("255.255.255.255", 0xFFFF_FFFF),
            ("10.0.0.255", 0x0A00_00FF),
            ("1.20.100.0", 0x0114_6400),
        ])
        func ipv4ParseAndPrint(_ text: String, _ value: UInt32) throws {
            let address = try #require(IPv4Address(text))
            #expect(address.value == value)
            #expect(address.description == text)
            #expect(address.bytes == [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
        }

        @Test(arguments: [
            "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "192.0.2.256", "01.2.3.4", "1.2.3.00", "1..2.3", ".1.2.3", "1.2.3.",
            "a.b.c.d", "-1.2.3.4", "+1.2.3.4", "1.2.3.0x4", "1234.1.1.1", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/32", "١.2.3.4",
        ])
        func ipv4Invalid(_ text: String) {
            #expect(IPv4Address(text) == nil)
        }

        @Test func ipv4Ordering() {
            #expect(IPv4Address(10, 0, 0, 1) < IPv4Address(10, 0, 0, 2))
            #expect(IPv4Address(9, 255, 255, 255) < IPv4Address(10, 0, 0, 0))
            #expect(IPv4Address(192, 0, 2, 1) == IPv4Address("192.0.2.1"))
        }

        // MARK: IPv6 (RFC 4291 §2.2 input, RFC 5952 §4 output)

        @Test(arguments: [
            ("::", "::", "00000000000000000000000000000000"),
            ("::1", "::1", "00000000000000000000000000000001"),
            ("1::", "1::", "00010000000000000000000000000000"),
            ("1:0:0:0:0:0:0:0", "1::", "00010000000000000000000000000000"),
            ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", "20010db8000000000000000000000001"),
            ("2001:DB8::ABCD", "2001:db8::abcd", "20010db800000000000000000000abcd"),
            // Ties: the first of two equal runs is shortened (RFC 5952 §4.2.3).
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "20010db8000000000001000000000001"),
            ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4", "00010000000000020000000000030004"),
            // The longest run wins wherever it is.
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1", "20010000000000010000000000000001"),
            ("1:0:0:1:0:0:0:0", "1:0:0:1::", "00010000000000010000000000000000"),
            // A single zero group is not shortened (RFC 5952 §4.2.2).
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", "20010db8000000010001000100010001"),
            ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", "00010002000300040005000600070000"),
            ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8", "00000002000300040005000600070008"),
            ("1:2:3:4:0:6:7:8", "1:2:3:4:0:6:7:8", "00010002000300040000000600070008"),
            // Leading zeros dropped, lower case (RFC 5952 §4.1, §4.3).
            ("2001:0DB8:00AB:0c00:000D::", "2001:db8:ab:c00:d::", "20010db800ab0c00000d000000000000"),
            ("fe80::0001:0002", "fe80::1:2", "fe800000000000000000000000010002"),
            ("FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffffffffffffffffffffffffffffffff"),
            // Embedded IPv4 (RFC 4291 §2.2 form 3); mapped addresses print that way (RFC 5952 §5).
            ("::ffff:192.0.2.1", "::ffff:192.0.2.1", "00000000000000000000ffffc0000201"),
            ("0:0:0:0:0:ffff:c000:0201", "::ffff:192.0.2.1", "00000000000000000000ffffc0000201"),
            ("::FFFF:1.2.3.4", "::ffff:1.2.3.4", "00000000000000000000ffff01020304"),
            ("::192.0.2.1", "::c000:201", "000000000000000000000000c0000201"),
            ("64:ff9b::192.0.2.33", "64:ff9b::c000:221", "0064ff9b0000000000000000c0000221"),
            ("1:2:3:4:5:6:255.255.255.255", "1:2:3:4:5:6:ffff:ffff", "000100020003000400050006ffffffff"),
            ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffffffffffffffffffffffffffffffff"),
        ])
        func ipv6ParseAndPrint(_ text: String, _ printed: String, _ hex: String) throws {
            let address = try #require(IPv6Address(text))
            #expect(address.description == printed)
            #expect(Hex.string(address.bytes) == hex)
            #expect(IPv6Address(bytes: Hex.bytes(hex)) == address)
            #expect(IPv6Address(printed) == address)
        }

        @Test(arguments: [
            "", ":", ":::", "1:::2", "::::", "1::2::3", "::1::", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:", ":1::", "1::2:",
            "g::", "::-1", "::+1", "::ffff:1.2.3", "::ffff:01.2.3.4", "::ffff:1.2.3.256", "1.2.3.4::", "::1.2.3.4:1",
            "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4", "fe80::1%eth0", " ::1", "::1 ", "[::1]", "0x1::",
            "0000:0000:0000:0000:0000:0000:0000:0000:0",
        ])
        func ipv6Invalid(_ text: String) {
            #expect(IPv6Address(text) == nil)
        }

        @Test func ipv6Ordering() throws {
            let a = try #require(IPv6Address("2001:db8::1"))
            let b = try #require(IPv6Address("2001:db8::2"))
            let c = try #require(IPv6Address("2001:db9::"))
            #expect(a < b && b < c && a < c)
            #expect(!(b < a))
        }

        // MARK: IPAddress

        @Test func ipAddressPicksTheFamily() {
            #expect(IPAddress("192.0.2.1") == .v4(IPv4Address(192, 0, 2, 1)))
            #expect(IPAddress("::1") == .v6(IPv6Address(high: 0, low: 1)))
            #expect(IPAddress("nonsense") == nil)
            #expect(IPAddress("192.0.2.1")?.bitWidth == 32)
            #expect(IPAddress("::")?.bitWidth == 128)
            #expect(IPAddress("::ffff:192.0.2.1")?.unmapped == IPAddress("192.0.2.1"))
            #expect(IPAddress("::192.0.2.1")?.unmapped == IPAddress("::c000:201"))
            #expect(IPAddress("192.0.2.1")?.unmapped == IPAddress("192.0.2.1"))
            #expect(IPAddress("2001:db8::1")?.description == "2001:db8::1")
        }

        // MARK: IPPrefix

        @Test(arguments: [
            ("192.0.2.0/24", "192.0.2.0/24", true),
            ("192.0.2.77/24", "192.0.2.0/24", false),
            ("192.0.2.1", "192.0.2.1/32", true),
            ("0.0.0.0/0", "0.0.0.0/0", true),
            ("255.255.255.255/0", "0.0.0.0/0", false),
            ("10.255.255.255/9", "10.128.0.0/9", false),
            ("10.128.0.0/9", "10.128.0.0/9", true),
            ("2001:db8::/32", "2001:db8::/32", true),
            ("2001:db8::1/32", "2001:db8::/32", false),
            ("2001:db8::1", "2001:db8::1/128", true),
            ("::/0", "::/0", true),
            ("2001:db8:0:0:8000::/65", "2001:db8:0:0:8000::/65", true),
            ("2001:db8:0:0:c000::/65", "2001:db8:0:0:8000::/65", false),
            ("2001:db8::ffff/127", "2001:db8::fffe/127", false),
            ("2001:db8:ffff:ffff::/64", "2001:db8:ffff:ffff::/64", true),
            ("2001:db8:ffff:ffff:1::/64", "2001:db8:ffff:ffff::/64", false),
            ("::ffff:192.0.2.0/120", "::ffff:192.0.2.0/120", true),
        ])
        func prefixParse(_ text: String, _ printed: String, _ alignedToLength: Bool) throws {
            let prefix = try #require(IPPrefix(text))
            #expect(prefix.description == printed)
            #expect(IPPrefix(printed) == prefix)
            // Strict parsing refuses host bits beyond the length.
            #expect((IPPrefix(text, strict: true) != nil) == alignedToLength)
        }

        @Test(arguments: [
            "", "/24", "192.0.2.0/", "192.0.2.0/33", "2001:db8::/129", "192.0.2.0/2a", "192.0.2.0/+8", "192.0.2.0/-1",
            "192.0.2.0/24/1", "192.0.2/24", "2001:db8::/ 32", "192.0.2.0/99999999999999999999999",
        ])
        func prefixInvalid(_ text: String) {
            #expect(IPPrefix(text) == nil)
            #expect(IPPrefix(text, strict: true) == nil)
        }

        @Test(arguments: [
            ("192.0.2.0/24", "192.0.2.0", true),
            ("192.0.2.0/24", "192.0.2.255", true),
            ("192.0.2.0/24", "192.0.3.0", false),
            ("192.0.2.0/24", "192.0.1.255", false),
            ("0.0.0.0/0", "203.0.113.9", true),
            ("192.0.2.1/32", "192.0.2.1", true),
            ("192.0.2.1/32", "192.0.2.2", false),
            ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::", false),
            ("2001:db8:0:0:8000::/65", "2001:db8::ffff:ffff:ffff:ffff", true),
            ("2001:db8:0:0:8000::/65", "2001:db8::7fff:ffff:ffff:ffff", false),
            ("::/0", "::1", true),
            // Mixed families never match, even where the bits would.
            ("0.0.0.0/0", "::", false),
            ("::/0", "0.0.0.0", false),
            ("192.0.2.0/24", "2001:db8::1", false),
            ("192.0.2.0/24", "::ffff:192.0.2.1", false),
            ("::ffff:192.0.2.0/120", "192.0.2.1", false),
            ("2001:db8::/32", "192.0.2.1", false),
        ])
        func prefixContainsAddress(_ prefix: String, _ address: String, _ expected: Bool) throws {
            let p = try #require(IPPrefix(prefix))
            let a = try #require(IPAddress(address))
            #expect(p.contains(a) == expected)
        }

        @Test(arguments: [
            ("192.0.2.0/24", "192.0.2.128/25", true),
            ("192.0.2.0/24", "192.0.2.0/24", true),
            ("192.0.2.128/25", "192.0.2.0/24", false),
            ("192.0.2.0/24", "192.0.3.0/24", false),
            ("0.0.0.0/0", "0.0.0.0/0", true),
            ("0.0.0.0/0", "::/0", false),
            ("::/0", "0.0.0.0/0", false),
            ("::/0", "2001:db8::/32", true),
            ("192.0.2.0/24", "::ffff:192.0.2.0/120", false),
        ])
        func prefixContainsPrefix(_ outer: String, _ inner: String, _ expected: Bool) throws {
            let a = try #require(IPPrefix(outer))
            let b = try #require(IPPrefix(inner))
            #expect(a.contains(b) == expected)
        }

        @Test func prefixMasksOnConstruction() throws {
            let p = IPPrefix(address: try #require(IPAddress("2001:db8:aaaa:bbbb:cccc::1")), length: 40)
            #expect(p.description == "2001:db8:aa00::/40")
            #expect(p == IPPrefix("2001:db8:aa00::/40"))
            #expect(p.hashValue == IPPrefix("2001:db8:aaff::/40")!.hashValue)
        }

        // MARK: Client Subnet option (RFC 7871 §6)

        @Test(arguments: [
            ("192.0.2.0", UInt8(24), UInt8(0), "0001 18 00 c00002"),
            ("192.0.2.77", 24, 0, "0001 18 00 c00002"),
            ("192.0.2.1", 32, 0, "0001 20 00 c0000201"),
            ("192.0.2.255", 25, 16, "0001 19 10 c0000280"),
            ("192.0.3.0", 23, 0, "0001 17 00 c00002"),
            ("203.0.113.9", 0, 0, "0001 00 00"),
            ("10.1.2.3", 1, 0, "0001 01 00 00"),
            ("2001:db8:1234::", 48, 0, "0002 30 00 20010db81234"),
            ("2001:db8:abcd:ef12::", 56, 48, "0002 38 30 20010db8abcdef"),
            ("2001:db8::1", 128, 0, "0002 80 00 20010db8000000000000000000000001"),
            ("::", 0, 0, "0002 00 00"),
            ("2001:db8::", 33, 0, "0002 21 00 20010db800"),
        ])
        func clientSubnetRoundTrip(_ address: String, _ source: UInt8, _ scope: UInt8, _ hex: String) throws {
            let subnet = ClientSubnet(address: try #require(IPAddress(address)), sourcePrefixLength: source, scopePrefixLength: scope)
            #expect(Hex.string(subnet.optionData) == Hex.normalized(hex))
            let decoded = try ClientSubnet(optionData: Hex.bytes(hex))
            #expect(decoded == subnet)
            #expect(decoded.sourcePrefix == IPPrefix(address: try #require(IPAddress(address)), length: Int(source)))
            let option = EDNSOption(clientSubnet: subnet)
            #expect(option.code == 8)
            #expect(try EDNS(options: [EDNSOption(code: 10, data: []), option]).clientSubnet() == subnet)
        }

        @Test(arguments: [
            ("", DNSWireError.badOption("ECS option shorter than 4 octets")),
            ("0001 18", .badOption("ECS option shorter than 4 octets")),
            ("0003 18 00 c00002", .badOption("ECS family 3 is not 1 (IPv4) or 2 (IPv6)")),
            ("0000 00 00", .badOption("ECS family 0 is not 1 (IPv4) or 2 (IPv6)")),
            ("0001 21 00 c000020100", .badOption("ECS prefix longer than the address")),
            ("0001 18 21 c00002", .badOption("ECS prefix longer than the address")),
            ("0002 81 00 20010db8000000000000000000000001 00", .badOption("ECS prefix longer than the address")),
            ("0001 18 00 c0000201", .badOption("ECS address has 4 octets for a /24 source prefix")),
            ("0001 18 00 c000", .badOption("ECS address has 2 octets for a /24 source prefix")),
            ("0001 00 00 00", .badOption("ECS address has 1 octets for a /0 source prefix")),
            ("0001 17 00 c00003", .badOption("ECS address has bits set beyond its source prefix")),
            ("0001 19 00 c00002c0", .badOption("ECS address has bits set beyond its source prefix")),
            ("0002 38 00 20010db8abcdef", nil),
            ("0002 37 00 20010db8abcdef", .badOption("ECS address has bits set beyond its source prefix")),
        ] as [(String, DNSWireError?)])
        func clientSubnetValidation(_ hex: String, _ error: DNSWireError?) {
            if let error {
                #expect(throws: error) { try ClientSubnet(optionData: Hex.bytes(hex)) }
            } else {
                #expect(throws: Never.self) { try ClientSubnet(optionData: Hex.bytes(hex)) }
            }
        }

        @Test func malformedClientSubnetSurfacesFromEDNS() throws {
            let edns = EDNS(options: [EDNSOption(code: 8, data: Hex.bytes("0001 18 00 c0000201"))])
            #expect(throws: DNSWireError.badOption("ECS address has 4 octets for a /24 source prefix")) { try edns.clientSubnet() }
            #expect(try EDNS().clientSubnet() == nil)
        }
    }
}
