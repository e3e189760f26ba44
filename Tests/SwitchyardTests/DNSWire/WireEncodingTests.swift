import DNSWire
import NIOCore
import Testing

extension Message {
    /// The same message with the header counts a decoder would report for it (the OPT
    /// record counts in ARCOUNT), so `decode(encode(m))` can be compared with `==`.
    func withWireCounts() -> Message {
        var copy = self
        copy.header.questionCount = UInt16(questions.count)
        copy.header.answerCount = UInt16(answers.count)
        copy.header.authorityCount = UInt16(authority.count)
        copy.header.additionalCount = UInt16(additional.count + (edns == nil ? 0 : 1))
        return copy
    }
}

private func rr(_ name: DomainName, _ ttl: UInt32, _ type: RecordType, _ text: String) throws -> ResourceRecord {
    ResourceRecord(name: name, ttl: ttl, rdata: try RData.parse(type: type, tokens: presentationTokens(text), origin: nil))
}

private func responseHeader(id: UInt16) -> Header {
    var header = Header(id: id)
    header.isResponse = true
    header.isAuthoritative = true
    header.recursionDesired = true
    header.recursionAvailable = true
    return header
}

extension DNSWireTests {
    @Suite struct WireEncodingTests {
        @Test func queryWithClientSubnet() {
            let subnet = ClientSubnet(address: IPAddress("192.0.2.77")!, sourcePrefixLength: 24)
            let edns = EDNS(udpPayloadSize: 1232, dnssecOK: true, options: [EDNSOption(clientSubnet: subnet)])
            let query = Message.query(id: 0x1234, name: "www.example.com.", type: .aaaa, recursionDesired: true, edns: edns)
            let expected = """
                1234 0100 0001 0000 0000 0001
                03 777777 07 6578616d706c65 03 636f6d 00 | 001c | 0001
                00 | 0029 | 04d0 | 00 00 8000 | 000b | 0008 0007 | 0001 18 00 c00002
                """
            #expect(query.encode().hex == Hex.normalized(expected))
        }

        /// Answers and additional data for example.com. MX, laid out by hand.
        ///
        /// Offsets: question name 12 ("example" 12, "com" 20); first MX exchange label
        /// "mail" at 43; SRV target "sip" at 94.
        static let mxAndSRVResponse = """
            beef 8580 0001 0003 0000 0001
            07 6578616d706c65 03 636f6d 00 | 000f | 0001
            c00c | 000f | 0001 | 00000e10 | 0009 | 000a | 04 6d61696c | c00c
            c00c | 000f | 0001 | 00000e10 | 0004 | 0014 | c02b
            04 5f736970 04 5f746370 c00c | 0021 | 0001 | 0000012c | 0017 | 000a 003c 13c4 | 03 736970 07 6578616d706c65 03 636f6d 00
            c05e | 0001 | 0001 | 0000012c | 0004 | c000020a
            """

        static func mxAndSRVMessage() throws -> Message {
            Message(
                header: responseHeader(id: 0xBEEF),
                questions: [Question(name: "example.com.", type: .mx)],
                answers: [
                    // Owner equal to the question name: pointer 0xC00C. Exchange: "mail" + 0xC00C.
                    try rr("example.com.", 3600, .mx, "10 mail.example.com."),
                    // Exchange already written in full: a single pointer to offset 43.
                    try rr("example.com.", 3600, .mx, "20 mail.example.com."),
                    // Owner compressed; the target is never compressed (RFC 2782).
                    try rr("_sip._tcp.example.com.", 300, .srv, "10 60 5060 sip.example.com."),
                ],
                additional: [try rr("sip.example.com.", 300, .a, "192.0.2.10")])
        }

        @Test func responseCompression() throws {
            let encoded = try Self.mxAndSRVMessage().encode()
            #expect(encoded.hex == Hex.normalized(Self.mxAndSRVResponse))
        }

        @Test func soaNamesAreCompressed() throws {
            let message = Message(
                header: responseHeader(id: 1),
                questions: [Question(name: "example.com.", type: .soa)],
                authority: [try rr("example.com.", 3600, .soa, "ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300")])
            let expected = """
                0001 8580 0001 0000 0001 0000
                07 6578616d706c65 03 636f6d 00 | 0006 | 0001
                c00c | 0006 | 0001 | 00000e10 | 0027
                  03 6e7331 c00c | 0a 686f73746d6173746572 c00c
                  00000001 | 00001c20 | 00000e10 | 00127500 | 0000012c
                """
            #expect(message.encode().hex == Hex.normalized(expected))
        }

        @Test func nsCNAMEAndPTRTargetsAreCompressed() throws {
            let message = Message(
                header: Header(id: 2),
                questions: [Question(name: "example.com.", type: .any)],
                answers: [
                    try rr("example.com.", 60, .ns, "ns.example.com."),
                    try rr("www.example.com.", 60, .cname, "example.com."),
                    try rr("1.2.0.192.in-addr.arpa.", 60, .ptr, "ns.example.com."),
                ])
            // NS rdata "ns" at 41. CNAME owner "www" at 46, target a bare pointer. PTR target:
            // the NS target at 41 again.
            let expected = """
                0002 0000 0001 0003 0000 0000
                07 6578616d706c65 03 636f6d 00 | 00ff | 0001
                c00c | 0002 | 0001 | 0000003c | 0005 | 02 6e73 c00c
                03 777777 c00c | 0005 | 0001 | 0000003c | 0002 | c00c
                01 31 01 32 01 30 03 313932 07 696e2d61646472 04 61727061 00 | 000c | 0001 | 0000003c | 0002 | c029
                """
            #expect(message.encode().hex == Hex.normalized(expected))
        }

        @Test func compressionMatchesIgnoringCase() throws {
            let message = Message(
                header: Header(id: 3),
                questions: [Question(name: "WWW.Example.COM.", type: .a)],
                answers: [try rr("www.example.com.", 60, .cname, "Mail.EXAMPLE.com.")])
            let expected = """
                0003 0000 0001 0001 0000 0000
                03 575757 07 4578616d706c65 03 434f4d 00 | 0001 | 0001
                c00c | 0005 | 0001 | 0000003c | 0007 | 04 4d61696c c010
                """
            let encoded = message.encode()
            #expect(encoded.hex == Hex.normalized(expected))
            // Decoding gives names equal to the originals, spelled as the question was.
            let decoded = try Message(decoding: encoded)
            #expect(decoded == message.withWireCounts())
            #expect(decoded.answers[0].name.presentation == "WWW.Example.COM.")
            if case .cname(let target) = decoded.answers[0].rdata {
                #expect(target.presentation == "Mail.Example.COM.")
            } else {
                Issue.record("expected a CNAME, got \(decoded.answers[0].rdata)")
            }
        }

        @Test func reencodingTheGoldenResponseReproducesIt() throws {
            let fixture = ByteBuffer(hex: WireDecodingTests.responseWithPointers)
            #expect(try Message(decoding: fixture).encode() == fixture)
        }

        @Test func ednsWithExtendedRCodeAndOptions() {
            var header = Header(id: 9)
            header.isResponse = true
            header.rcodeLow = 0
            let message = Message(header: header, edns: EDNS(udpPayloadSize: 4096, extendedRCode: 1, version: 0,
                                                              options: [EDNSOption(code: 10, data: [1, 2, 3, 4, 5, 6, 7, 8]), EDNSOption(code: 12, data: [])]))
            let expected = """
                0009 8000 0000 0000 0000 0001
                00 | 0029 | 1000 | 01 00 0000 | 0010 | 000a 0008 0102030405060708 | 000c 0000
                """
            #expect(message.encode().hex == Hex.normalized(expected))
            #expect(message.responseCode == .badVers)
        }

        @Test func headerFlagBits() {
            var header = Header(id: 0)
            header.isResponse = true
            #expect(header.flags == 0x8000)
            header.opcode = .update
            #expect(header.flags == 0xA800)
            header.isAuthoritative = true
            header.isTruncated = true
            header.recursionDesired = true
            header.recursionAvailable = true
            header.authenticData = true
            header.checkingDisabled = true
            header.rcodeLow = 0x3
            #expect(header.flags == 0xAFB3)
            header.isTruncated = false
            header.opcode = .query
            header.rcodeLow = 0x15  // only four bits fit
            #expect(header.flags == 0x85B5)
            #expect(header.opcode == .query)
        }

        // MARK: - Round trips

        static func roundTripMessages() throws -> [Message] {
            var nx = Header(id: 0xFFFF, flags: 0)
            nx.isResponse = true
            nx.isTruncated = true
            nx.checkingDisabled = true
            nx.rcodeLow = 3
            return [
                Message(header: Header(id: 0)),
                Message.query(id: 7, name: .root, type: .ns),
                Message.query(id: 8, name: "www.example.com.", type: .aaaa, recursionDesired: true,
                              edns: EDNS(options: [EDNSOption(clientSubnet: ClientSubnet(address: IPAddress("2001:db8::1")!, sourcePrefixLength: 48))])),
                try mxAndSRVMessage(),
                Message(
                    header: nx,
                    questions: [Question(name: "a.example.", type: .txt), Question(name: "b.example.", type: RecordType(65280), recordClass: .ch)],
                    answers: [
                        try rr("a.example.", 0, .a, "192.0.2.1"),
                        try rr("a.example.", 1, .aaaa, "2001:db8::1"),
                        try rr("a.example.", 2, .aaaa, "::ffff:192.0.2.1"),
                        try rr("a.example.", 3, .ns, "NS.a.example."),
                        try rr("alias.a.example.", 4, .cname, "a.example."),
                        try rr("1.2.0.192.in-addr.arpa.", 5, .ptr, "a.example."),
                        try rr("a.example.", 6, .mx, "0 ."),
                        try rr("a.example.", 7, .txt, #""one" "" "t\"w\\o" "\255\000""#),
                        try rr("a.example.", 8, .spf, #""v=spf1 -all""#),
                        try rr("_x._udp.a.example.", 9, .srv, "1 2 3 a.example."),
                        try rr("a.example.", 10, .caa, #"128 iodef "mailto:x@a.example""#),
                        try rr("b.example.", 11, RecordType(65280), "\\# 3 abcdef"),
                        try rr("b.example.", 12, RecordType(65281), "\\# 0"),
                    ],
                    authority: [try rr("a.example.", 4294967295, .soa, "a.example. b.a.example. 4294967295 1 2 3 4")],
                    additional: [ResourceRecord(name: "b.example.", ttl: 5, recordClass: RecordClass(rawValue: 254), rdata: .a(IPv4Address(0)))],
                    edns: EDNS(udpPayloadSize: 512, extendedRCode: 0xFF, version: 1, dnssecOK: true, options: [EDNSOption(code: 65001, data: [0xFF])])),
            ]
        }

        @Test func decodeOfEncodeIsTheIdentity() throws {
            for message in try Self.roundTripMessages() {
                let encoded = message.encode()
                let decoded = try Message(decoding: encoded)
                #expect(decoded == message.withWireCounts())
                // Presentation survives too (equality of names ignores case; this does not).
                #expect(decoded.answers.map(\.description) == message.answers.map(\.description))
                #expect(decoded.encode() == encoded)
                // The server's decoder agrees with the full one on queries.
                if !message.header.isResponse && message.questions.count == 1 {
                    let query = try Query(decoding: encoded)
                    #expect(query.question == message.questions[0])
                    #expect(query.edns == message.edns)
                }
            }
        }

        // MARK: - The writer itself

        @Test func rolledBackNamesAreNotPointerTargets() {
            var writer = WireWriter(buffer: ByteBuffer())
            writer.writeName("a.example.")           // offsets 0 ("a") and 2 ("example"), 11 octets
            let mark = writer.mark
            writer.writeName("b.example.")           // "b" at 11, then pointer to 2
            writer.rollBack(to: mark)
            #expect(writer.count == 11)
            writer.writeUInt8(0xFF)                  // offset 11 now holds other data
            writer.writeName("x.b.example.")         // must not point at the forgotten offset 11
            #expect(writer.buffer.hex == Hex.normalized("01 61 07 6578616d706c65 00 | ff | 01 78 01 62 c002"))
        }

        @Test func uncompressedNamesStillBecomeTargets() {
            var writer = WireWriter(buffer: ByteBuffer())
            writer.writeName("example.com.", compress: false)
            writer.writeName("example.com.", compress: false)
            writer.writeName("www.example.com.")
            #expect(writer.buffer.hex == Hex.normalized("""
                07 6578616d706c65 03 636f6d 00
                07 6578616d706c65 03 636f6d 00
                03 777777 c000
                """))
        }

        @Test func registeredNameIsATarget() {
            var writer = WireWriter(buffer: ByteBuffer())
            writer.writeBytes(Hex.bytes("0000 0000 0000 0000 0000 0000 | 03 777777 07 6578616d706c65 03 636f6d 00"))
            writer.registerName(at: 12)
            writer.writeName("mail.Example.com.")
            #expect(writer.buffer.hex.hasSuffix(Hex.normalized("04 6d61696c c010")))
        }

        @Test func writerOffsetsAreRelativeToItsStart() {
            var buffer = ByteBuffer()
            buffer.writeBytes([0xAA, 0xBB])          // something before the message, e.g. a TCP length
            var writer = WireWriter(buffer: buffer)
            writer.writeName("example.")
            writer.writeName("example.")
            #expect(writer.count == 11)
            #expect(writer.buffer.hex == Hex.normalized("aabb | 07 6578616d706c65 00 | c000"))
        }

        @Test func aMessagePastTheInitialRoomGrowsAndKeepsEveryOctet() {
            // Past the first reservation (1232 octets) the storage moves; what was written,
            // the counts set afterwards and the compression targets must move with it.
            var writer = WireWriter(buffer: ByteBuffer())
            writer.writeUInt16(0)
            writer.writeName("example.")
            var owners = 0
            while writer.count < 5000 {
                writer.writeName("host.example.")
                writer.writeUInt32(UInt32(owners))
                owners += 1
            }
            writer.setUInt16(UInt16(owners), at: 0)
            let bytes = Array(writer.buffer.readableBytesView)
            #expect(bytes.count == writer.count && bytes.count >= 5000)
            #expect(bytes[0] == UInt8(owners >> 8) && bytes[1] == UInt8(owners & 0xFF))
            // Every later name is a pointer to the first "host.example." (offset 11).
            #expect(Array(bytes[11..<22]) == Hex.bytes("04 686f7374 c002 00000000"))
            #expect(Array(bytes[(bytes.count - 6)...]) == [0xC0, 0x0B] + withUnsafeBytes(of: UInt32(owners - 1).bigEndian) { Array($0) })
        }

        @Test func aSharedBufferIsCopiedNotWrittenUnderItsOtherHolder() {
            var original = ByteBuffer()
            original.writeBytes([1, 2, 3])
            let kept = original
            var writer = WireWriter(buffer: original)
            writer.writeUInt16(0xABCD)
            var other = WireWriter(buffer: kept)
            other.writeUInt16(0x1234)
            #expect(writer.buffer.hex == Hex.normalized("010203 abcd"))
            #expect(other.buffer.hex == Hex.normalized("010203 1234"))
            #expect(kept.hex == Hex.normalized("010203"))
        }

        @Test func pointersOnlyReachThe14BitRange() {
            // A name starting at 0x3FFE can be pointed at; one starting at 0x4000 cannot.
            var low = WireWriter(buffer: ByteBuffer())
            low.writeBytes(repeatElement(0, count: 0x3FFE))
            low.writeName("a.")
            low.writeName("a.")
            #expect(Array(low.buffer.readableBytesView.suffix(5)) == Hex.bytes("01 61 00 | fffe"))

            var high = WireWriter(buffer: ByteBuffer())
            high.writeBytes(repeatElement(0, count: 0x4000))
            high.writeName("a.")
            high.writeName("a.")
            #expect(Array(high.buffer.readableBytesView.suffix(6)) == Hex.bytes("01 61 00 | 01 61 00"))
        }
    }
}
