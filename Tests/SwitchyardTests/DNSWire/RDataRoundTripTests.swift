import DNSWire
import NIOCore
import Testing

/// One RDATA fixture: master-file text, the canonical text it prints as, and its
/// uncompressed wire octets written out from the type's RFC layout.
struct RDataFixture: Sendable, CustomTestStringConvertible {
    var type: String
    var input: String
    var canonical: String
    var wire: String

    init(_ type: String, _ input: String, _ canonical: String, _ wire: String) {
        self.type = type
        self.input = input
        self.canonical = canonical
        self.wire = wire
    }

    var testDescription: String { "\(type) \(input)" }
}

/// An RDATA text that must be refused, with the message and the token blamed.
struct InvalidRDataFixture: Sendable, CustomTestStringConvertible {
    var type: String
    var input: String
    var message: String
    var tokenIndex: Int?

    init(_ type: String, _ input: String, _ message: String, _ tokenIndex: Int?) {
        self.type = type
        self.input = input
        self.message = message
        self.tokenIndex = tokenIndex
    }

    var testDescription: String { "\(type) \(input.prefix(40))" }
}

/// `example.com.` in wire form (RFC 1035 §3.1): length-prefixed labels, root octet.
private let exampleCom = "07 6578616d706c65 | 03 636f6d | 00"

extension DNSWireTests {
    @Suite struct RDataRoundTripTests {
        static let origin: DomainName = "example.com."

        static let fixtures: [RDataFixture] = [
            // A (RFC 1035 §3.4.1): four octets.
            RDataFixture("A", "192.0.2.1", "192.0.2.1", "c0000201"),
            RDataFixture("A", "0.0.0.0", "0.0.0.0", "00000000"),
            RDataFixture("A", "255.255.255.255", "255.255.255.255", "ffffffff"),
            // AAAA (RFC 3596 §2.2): sixteen octets; text per RFC 5952.
            RDataFixture("AAAA", "::", "::", "00000000 00000000 00000000 00000000"),
            RDataFixture("AAAA", "::1", "::1", "00000000 00000000 00000000 00000001"),
            RDataFixture("AAAA", "::ffff:1.2.3.4", "::ffff:1.2.3.4", "00000000 00000000 0000ffff 01020304"),
            RDataFixture("AAAA", "2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329",
                         "20010db8 00000000 0000ff00 00428329"),
            RDataFixture("AAAA", "2001:DB8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6", "20010db8 00010002 00030004 00050006"),
            // NS, CNAME, PTR (RFC 1035 §3.3.11, §3.3.1, §3.3.12): one domain name.
            RDataFixture("NS", "ns1.example.com.", "ns1.example.com.", "03 6e7331 | \(exampleCom)"),
            RDataFixture("NS", "ns2", "ns2.example.com.", "03 6e7332 | \(exampleCom)"),
            RDataFixture("CNAME", "@", "example.com.", exampleCom),
            RDataFixture("CNAME", "www.Example.COM.", "www.Example.COM.", "03 777777 | 07 4578616d706c65 | 03 434f4d | 00"),
            RDataFixture("PTR", "host\\.name.example.com.", "host\\.name.example.com.", "09 686f73742e6e616d65 | \(exampleCom)"),
            RDataFixture("PTR", "\\065b\\.c.", "Ab\\.c.", "04 41622e63 | 00"),
            RDataFixture("PTR", ".", ".", "00"),
            // SOA (RFC 1035 §3.3.13): MNAME, RNAME, then five 32-bit fields.
            RDataFixture("SOA", "ns1.example.com. hostmaster.example.com. 2024010101 1h 15m 1w 1d",
                         "ns1.example.com. hostmaster.example.com. 2024010101 3600 900 604800 86400",
                         "03 6e7331 | \(exampleCom) | 0a 686f73746d6173746572 | \(exampleCom) | 78a3f175 | 00000e10 | 00000384 | 00093a80 | 00015180"),
            RDataFixture("SOA", "ns1 hostmaster 1 7200 1h30m 2W 300",
                         "ns1.example.com. hostmaster.example.com. 1 7200 5400 1209600 300",
                         "03 6e7331 | \(exampleCom) | 0a 686f73746d6173746572 | \(exampleCom) | 00000001 | 00001c20 | 00001518 | 00127500 | 0000012c"),
            // MX (RFC 1035 §3.3.9): 16-bit preference, exchange name. Null MX (RFC 7505).
            RDataFixture("MX", "10 mail.example.com.", "10 mail.example.com.", "000a | 04 6d61696c | \(exampleCom)"),
            RDataFixture("MX", "20 mail", "20 mail.example.com.", "0014 | 04 6d61696c | \(exampleCom)"),
            RDataFixture("MX", "0 .", "0 .", "0000 | 00"),
            // TXT (RFC 1035 §3.3.14): one or more length-prefixed character-strings.
            RDataFixture("TXT", #""hello world" "second""#, #""hello world" "second""#,
                         "0b 68656c6c6f20776f726c64 | 06 7365636f6e64"),
            RDataFixture("TXT", #""say \"hi\"" "back\\slash""#, #""say \"hi\"" "back\\slash""#,
                         "08 7361792022686922 | 0a 6261636b5c736c617368"),
            RDataFixture("TXT", #""caf\195\169" "\001" "\065\066C""#, #""caf\195\169" "\001" "ABC""#,
                         "05 636166c3a9 | 01 01 | 03 414243"),
            RDataFixture("TXT", "\"\"", "\"\"", "00"),
            RDataFixture("TXT", "\"\" \"x\" \"\"", "\"\" \"x\" \"\"", "00 | 01 78 | 00"),
            RDataFixture("TXT", "abc", #""abc""#, "03 616263"),
            RDataFixture("TXT", #""a;b (c)""#, #""a;b (c)""#, "07 613b6220286329"),
            // SPF (RFC 7208 §3.1): TXT layout under type 99.
            RDataFixture("SPF", #""v=spf1 -all""#, #""v=spf1 -all""#, "0b 763d73706631202d616c6c"),
            // SRV (RFC 2782): priority, weight, port, target.
            RDataFixture("SRV", "10 60 5060 sip.example.com.", "10 60 5060 sip.example.com.",
                         "000a | 003c | 13c4 | 03 736970 | \(exampleCom)"),
            RDataFixture("SRV", "0 0 0 .", "0 0 0 .", "0000 | 0000 | 0000 | 00"),
            // CAA (RFC 8659 §4.1): flags, tag length, tag, value to the end.
            RDataFixture("CAA", #"0 issue "ca.example.net""#, #"0 issue "ca.example.net""#,
                         "00 | 05 | 6973737565 | 63612e6578616d706c652e6e6574"),
            RDataFixture("CAA", #"128 iodef "mailto:security@example.com""#, #"128 iodef "mailto:security@example.com""#,
                         "80 | 05 | 696f646566 | 6d61696c746f3a7365637572697479406578616d706c652e636f6d"),
            RDataFixture("CAA", "0 issuewild letsencrypt.org", #"0 issuewild "letsencrypt.org""#,
                         "00 | 09 | 697373756577696c64 | 6c657473656e63727970742e6f7267"),
            RDataFixture("CAA", #"0 issue ";""#, #"0 issue ";""#, "00 | 05 | 6973737565 | 3b"),
            RDataFixture("CAA", #"0 issue """#, #"0 issue """#, "00 | 05 | 6973737565"),
            // RFC 3597 §5 generic form: unknown types stay opaque...
            RDataFixture("TYPE65280", "\\# 3 abcdef", "\\# 3 abcdef", "abcdef"),
            RDataFixture("TYPE65280", "\\# 0", "\\# 0", ""),
            RDataFixture("TYPE1234", "\\# 4 DEAD BEEF", "\\# 4 deadbeef", "deadbeef"),
            RDataFixture("HINFO", "\\# 4 01610162", "\\# 4 01610162", "01610162"),
            // ...and known types written generically become typed data (RFC 3597 §5).
            RDataFixture("A", "\\# 4 c0000201", "192.0.2.1", "c0000201"),
            RDataFixture("AAAA", "\\# 16 20010db8 00000000 00000000 00000001", "2001:db8::1", "20010db8 00000000 00000000 00000001"),
            RDataFixture("MX", "\\# 3 000a00", "10 .", "000a00"),
            RDataFixture("TXT", "\\# 4 03616263", #""abc""#, "03 616263"),
            RDataFixture("CNAME", "\\# 1 00", ".", "00"),
        ]

        @Test(arguments: fixtures)
        func presentationToWireAndBack(_ f: RDataFixture) throws {
            let type = try #require(RecordType(mnemonic: f.type))
            let parsed = try RData.parse(type: type, tokens: presentationTokens(f.input), origin: Self.origin)
            #expect(parsed.type == type)
            #expect(parsed.presentation == f.canonical)

            let expectedWire = Hex.normalized(f.wire)
            #expect(Hex.string(parsed.uncompressedWire) == expectedWire)
            // The length the zone loader checks against 65,535 without encoding.
            #expect(parsed.uncompressedLength == Hex.bytes(f.wire).count)
            // `encode` may compress (SOA's RNAME against its MNAME), but reads back the same.
            var writer = WireWriter(buffer: ByteBuffer())
            parsed.encode(to: &writer)
            #expect(writer.count <= parsed.uncompressedWire.count)
            #expect(try RData.decode(type: type, fromUncompressed: Array(writer.buffer.readableBytesView)) == parsed)

            let decoded = try RData.decode(type: type, fromUncompressed: Hex.bytes(f.wire))
            #expect(decoded == parsed)
            #expect(decoded.presentation == f.canonical)
            #expect(Hex.string(decoded.uncompressedWire) == expectedWire)

            // The canonical text is absolute, so it reads back without an origin.
            let reparsed = try RData.parse(type: type, tokens: presentationTokens(f.canonical), origin: nil)
            #expect(reparsed == parsed)
            #expect(reparsed.presentation == f.canonical)
        }

        /// Every fixture written as `\# LENGTH HEX` reads as the same data (RFC 3597 §5).
        @Test(arguments: fixtures)
        func genericFormMatchesTypedForm(_ f: RDataFixture) throws {
            let type = try #require(RecordType(mnemonic: f.type))
            let bytes = Hex.bytes(f.wire)
            var tokens = [PresentationToken("\\#"), PresentationToken("\(bytes.count)")]
            if !bytes.isEmpty { tokens.append(PresentationToken(Hex.string(bytes))) }
            let generic = try RData.parse(type: type, tokens: tokens, origin: nil)
            let typed = try RData.parse(type: type, tokens: presentationTokens(f.input), origin: Self.origin)
            #expect(generic == typed)
        }

        @Test func namesKeepTheirCaseButCompareWithoutIt() throws {
            let upper = try RData.parse(type: .ns, tokens: [PresentationToken("NS1.EXAMPLE.COM.")], origin: nil)
            let lower = try RData.parse(type: .ns, tokens: [PresentationToken("ns1.example.com.")], origin: nil)
            #expect(upper == lower)
            #expect(upper.presentation == "NS1.EXAMPLE.COM.")
            #expect(Hex.string(upper.uncompressedWire) == Hex.normalized("03 4e5331 | 07 4558414d504c45 | 03 434f4d | 00"))
        }

        @Test func txtStringOf255OctetsIsTheLimit() throws {
            let text = String(repeating: "a", count: 255)
            let rdata = try RData.parse(type: .txt, tokens: [PresentationToken(text, isQuoted: true)], origin: nil)
            #expect(rdata.uncompressedWire == [0xFF] + Array(repeating: UInt8(ascii: "a"), count: 255))
            #expect(rdata.presentation == "\"\(text)\"")
        }

        @Test func twoHundredFiftyFiveEscapedOctetsFitOneString() throws {
            // 255 octets written as `\DDD` escapes: the limit is on octets, not on characters.
            let text = String(repeating: "\\200", count: 255)
            let rdata = try RData.parse(type: .txt, tokens: [PresentationToken(text, isQuoted: true)], origin: nil)
            #expect(rdata.uncompressedWire == [0xFF] + Array(repeating: 200, count: 255))
        }

        @Test func relativeTargetWithoutOriginIsRejected() {
            #expect(throws: PresentationError("bad CNAME target 'www': relative name with no origin", tokenIndex: 0)) {
                try RData.parse(type: .cname, tokens: [PresentationToken("www")], origin: nil)
            }
        }

        @Test func additionalSectionNames() throws {
            let mx = try RData.parse(type: .mx, tokens: presentationTokens("10 mail.example.com."), origin: nil)
            let srv = try RData.parse(type: .srv, tokens: presentationTokens("1 1 80 web.example.com."), origin: nil)
            let ns = try RData.parse(type: .ns, tokens: presentationTokens("ns.example.com."), origin: nil)
            let cname = try RData.parse(type: .cname, tokens: presentationTokens("alias.example.com."), origin: nil)
            #expect(mx.additionalSectionName == "mail.example.com.")
            #expect(srv.additionalSectionName == "web.example.com.")
            #expect(ns.additionalSectionName == "ns.example.com.")
            #expect(cname.additionalSectionName == nil)
        }

        static let invalid: [InvalidRDataFixture] = [
            InvalidRDataFixture("A", "192.0.2.256", "'192.0.2.256' is not an IPv4 address", 0),
            InvalidRDataFixture("A", "192.0.2.01", "'192.0.2.01' is not an IPv4 address", 0),
            InvalidRDataFixture("A", "192.0.2", "'192.0.2' is not an IPv4 address", 0),
            InvalidRDataFixture("A", #""192.0.2.1""#, "'192.0.2.1' is not an IPv4 address", 0),
            InvalidRDataFixture("A", "", "missing RDATA for A", nil),
            InvalidRDataFixture("A", "192.0.2.1 192.0.2.2", "unexpected '192.0.2.2' after the A data", 1),
            InvalidRDataFixture("AAAA", "1::2::3", "'1::2::3' is not an IPv6 address", 0),
            InvalidRDataFixture("AAAA", "192.0.2.1", "'192.0.2.1' is not an IPv6 address", 0),
            InvalidRDataFixture("NS", "a..b.", "bad NS name server 'a..b.': empty label in name", 0),
            InvalidRDataFixture("NS", "ns1.example.com. extra", "unexpected 'extra' after the NS data", 1),
            InvalidRDataFixture("TXT", "\"ok\" \"\(String(repeating: "a", count: 256))\"", "character-string longer than 255 octets", 1),
            InvalidRDataFixture("TXT", #""bad\2""#, "\\DDD escape needs three digits", 0),
            InvalidRDataFixture("TXT", #""ok" "\256""#, "\\DDD escape above 255", 1),
            InvalidRDataFixture("CAA", #"0 is-sue "x""#, "CAA tag must be 1 to 15 letters or digits, not 'is-sue'", 1),
            InvalidRDataFixture("CAA", #"0 abcdefghijklmnop "x""#, "CAA tag must be 1 to 15 letters or digits, not 'abcdefghijklmnop'", 1),
            InvalidRDataFixture("CAA", #"0 "issue" "x""#, "CAA tag must be 1 to 15 letters or digits, not 'issue'", 1),
            InvalidRDataFixture("CAA", #"256 issue "x""#, "CAA flags must be an integer from 0 to 255, not '256'", 0),
            InvalidRDataFixture("CAA", "0 issue", "missing CAA value", 1),
            InvalidRDataFixture("CAA", #"0 issue "a" "b""#, "unexpected 'b' after the CAA data", 3),
            InvalidRDataFixture("MX", "10", "missing MX exchange", 0),
            InvalidRDataFixture("MX", "mail.example.com. 10", "MX preference must be an integer from 0 to 65535, not 'mail.example.com.'", 0),
            InvalidRDataFixture("MX", "65536 mail.example.com.", "MX preference must be an integer from 0 to 65535, not '65536'", 0),
            InvalidRDataFixture("MX", "+10 mail.example.com.", "MX preference must be an integer from 0 to 65535, not '+10'", 0),
            InvalidRDataFixture("MX", "-0 mail.example.com.", "MX preference must be an integer from 0 to 65535, not '-0'", 0),
            InvalidRDataFixture("MX", #""10" mail.example.com."#, "MX preference must be an integer from 0 to 65535, not '10'", 0),
            InvalidRDataFixture("SRV", "1 2 3", "missing SRV target", 2),
            InvalidRDataFixture("SRV", "1 2 3 a..b.", "bad SRV target 'a..b.': empty label in name", 3),
            InvalidRDataFixture("SOA", "ns1 hostmaster 1 1x 900 604800 86400",
                                "SOA refresh must be a number of seconds or a duration like 1h30m, not '1x'", 3),
            InvalidRDataFixture("SOA", "ns1 hostmaster 1 3600 900 2147483648 86400",
                                "SOA expire must be a number of seconds or a duration like 1h30m, not '2147483648'", 5),
            InvalidRDataFixture("SOA", "ns1 hostmaster 4294967296 3600 900 604800 86400",
                                "SOA serial must be an integer from 0 to 4294967295, not '4294967296'", 2),
            InvalidRDataFixture("SOA", "ns1 hostmaster 1 3600 900 604800", "missing SOA minimum", 5),
            InvalidRDataFixture("TYPE65280", "\\# 3 abcd", "generic RDATA says 3 octets but has 2", 2),
            InvalidRDataFixture("TYPE65280", "\\# 2 abc", "odd number of hex digits in generic RDATA", 2),
            InvalidRDataFixture("TYPE65280", "\\# 2 zz00", "'zz' is not hex in generic RDATA", 2),
            InvalidRDataFixture("TYPE65280", "\\# x 00", "RDATA length must be an integer from 0 to 65535, not 'x'", 1),
            InvalidRDataFixture("TYPE65280", "\\#", "missing RDATA length", 0),
            InvalidRDataFixture("TYPE65280", "abcdef", "type TYPE65280 is only supported in the RFC 3597 form (\\# LENGTH HEX)", nil),
            InvalidRDataFixture("A", "\\# 3 c00002",
                                "generic RDATA is not valid A: RDATA length does not match its contents (type 1)", 0),
            InvalidRDataFixture("NS", "\\# 2 c000",
                                "generic RDATA is not valid NS: name compression pointer loop or forward pointer", 0),
            InvalidRDataFixture("ANY", "abc", "ANY is a meta-type and cannot appear in a zone", nil),
            // Meta-types have no RDATA in a zone, in the generic form either (RFC 3597 §5, RFC 6895 §3.1).
            InvalidRDataFixture("ANY", "\\# 0", "ANY is a meta-type and cannot appear in a zone", nil),
            InvalidRDataFixture("OPT", "\\# 0", "OPT is a meta-type and cannot appear in a zone", nil),
        ]

        @Test(arguments: invalid)
        func invalidPresentationIsRejected(_ f: InvalidRDataFixture) throws {
            let type = try #require(RecordType(mnemonic: f.type))
            #expect(throws: PresentationError(f.message, tokenIndex: f.tokenIndex)) {
                try RData.parse(type: type, tokens: presentationTokens(f.input), origin: Self.origin)
            }
        }

        @Test(arguments: [
            ("A", RecordType.a), ("aaaa", .aaaa), ("Caa", .caa), ("SPF", .spf),
            ("TYPE65280", RecordType(65280)), ("type1", .a),
        ])
        func recordTypeMnemonics(_ text: String, _ expected: RecordType) {
            #expect(RecordType(mnemonic: text) == expected)
        }

        @Test(arguments: ["", "TYPE", "TYPE65536", "TYPE+1", "TYPE-0", "TYPE 1", "FOO"])
        func badRecordTypeMnemonics(_ text: String) {
            #expect(RecordType(mnemonic: text) == nil)
        }

        @Test func unknownTypesPrintInGenericForm() {
            #expect(RecordType(65280).mnemonic == "TYPE65280")
            #expect(RecordType.caa.mnemonic == "CAA")
            #expect(RecordClass(mnemonic: "CLASS+1") == nil)
            #expect(RecordClass(mnemonic: "class3") == .ch)
        }
    }
}
