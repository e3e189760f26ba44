import DNSWire
import NIOCore
import Testing

// MARK: Fixture builders (RFC 1035 §4.1 layouts)

private func hex16(_ value: UInt16) -> String { Hex.string([UInt8(value >> 8), UInt8(value & 0xFF)]) }

/// The 12-octet header: ID, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT.
private func header(id: UInt16 = 0xABCD, flags: UInt16 = 0, qd: UInt16 = 0, an: UInt16 = 0, ns: UInt16 = 0, ar: UInt16 = 0) -> String {
    [id, flags, qd, an, ns, ar].map(hex16).joined(separator: " ") + " | "
}

/// `www.example.com.` in uncompressed wire form (17 octets).
private let wwwExampleCom = "03 777777 07 6578616d706c65 03 636f6d 00"

/// A question for www.example.com. IN A.
private let questionA = "\(wwwExampleCom) | 0001 | 0001 | "

/// An OPT pseudo-record (RFC 6891 §6.1.2) with RDLENGTH computed from `options`.
private func optRecord(owner: String = "00", payload: UInt16 = 4096, ttl: String = "00 00 0000", options: String = "") -> String {
    "\(owner) | 0029 | \(hex16(payload)) | \(ttl) | \(hex16(UInt16(Hex.bytes(options).count))) | \(options) | "
}

/// One EDNS option: code, length, data (RFC 6891 §6.1.2).
private func option(code: UInt16, _ data: String) -> String {
    "\(hex16(code)) \(hex16(UInt16(Hex.bytes(data).count))) \(data) "
}

private func ecs(_ data: String) -> String { option(code: 8, data) }

/// A resource record with RDLENGTH computed from `rdata`.
private func record(owner: String = "00", type: UInt16, ttl: String = "00000e10", rdata: String) -> String {
    "\(owner) | \(hex16(type)) | 0001 | \(ttl) | \(hex16(UInt16(Hex.bytes(rdata).count))) | \(rdata) | "
}

/// A resource record whose RDLENGTH field is written as given, whatever follows it.
private func record(owner: String = "00", type: UInt16, rdlength: UInt16, rdata: String) -> String {
    "\(owner) | \(hex16(type)) | 0001 | 00000e10 | \(hex16(rdlength)) | \(rdata) | "
}

private func a63(_ n: Int) -> String { String(repeating: "61", count: n) }

// MARK: - Golden fixtures

extension DNSWireTests {
    @Suite struct WireDecodingTests {
        /// A query for www.example.com. A with RD, EDNS (4096, DO) and ECS 192.0.2.0/24.
        static let queryWithECS = """
            1234 0100 0001 0000 0000 0001
            03 777777 07 6578616d706c65 03 636f6d 00 | 0001 | 0001
            00 | 0029 | 1000 | 00 00 8000 | 000b | 0008 0007 | 0001 18 00 c00002
            """

        @Test func queryWithEDNSAndClientSubnet() throws {
            let message = try Message(decoding: ByteBuffer(hex: Self.queryWithECS))
            #expect(message.header.id == 0x1234)
            #expect(!message.header.isResponse)
            #expect(message.header.recursionDesired)
            #expect(!message.header.checkingDisabled)
            #expect(message.header.opcode == .query)
            #expect(message.header.questionCount == 1)
            #expect(message.header.additionalCount == 1)
            #expect(message.questions == [Question(name: "www.example.com.", type: .a, recordClass: .in)])
            #expect(message.answers.isEmpty && message.authority.isEmpty && message.additional.isEmpty)
            let edns = try #require(message.edns)
            #expect(edns.udpPayloadSize == 4096)
            #expect(edns.dnssecOK)
            #expect(edns.version == 0)
            #expect(edns.extendedRCode == 0)
            #expect(edns.options == [EDNSOption(code: 8, data: Hex.bytes("0001 18 00 c00002"))])
            let subnet = try #require(try edns.clientSubnet())
            #expect(subnet.address == IPAddress("192.0.2.0"))
            #expect(subnet.sourcePrefixLength == 24)
            #expect(subnet.scopePrefixLength == 0)
            #expect(subnet.sourcePrefix == IPPrefix("192.0.2.0/24"))
        }

        /// example.com. MX with two MX answers, an NS authority and a glue A record, using
        /// pointers to the question (0x0C), to a name inside RDATA (0x2B), and a pointer
        /// whose target itself ends in a pointer.
        static let responseWithPointers = """
            beef 8580 0001 0002 0001 0001
            07 6578616d706c65 03 636f6d 00 | 000f | 0001
            c00c | 000f | 0001 | 00000e10 | 0009 | 000a | 04 6d61696c | c00c
            c00c | 000f | 0001 | 00000e10 | 000b | 0014 | 06 6261636b7570 | c02b
            c00c | 0002 | 0001 | 00015180 | 0006 | 03 6e7331 | c00c
            c055 | 0001 | 0001 | 00000e10 | 0004 | c0000235
            """

        @Test func responseWithCompressionPointers() throws {
            let message = try Message(decoding: ByteBuffer(hex: Self.responseWithPointers))
            #expect(message.header.id == 0xBEEF)
            #expect(message.header.isResponse)
            #expect(message.header.isAuthoritative)
            #expect(message.header.recursionDesired)
            #expect(message.header.recursionAvailable)
            #expect(!message.header.isTruncated)
            #expect(message.responseCode == .noError)
            #expect(message.edns == nil)
            #expect(message.questions == [Question(name: "example.com.", type: .mx)])
            #expect(message.answers == [
                ResourceRecord(name: "example.com.", ttl: 3600, rdata: .mx(MXData(preference: 10, exchange: "mail.example.com."))),
                ResourceRecord(name: "example.com.", ttl: 3600, rdata: .mx(MXData(preference: 20, exchange: "backup.mail.example.com."))),
            ])
            #expect(message.authority == [ResourceRecord(name: "example.com.", ttl: 86400, rdata: .ns("ns1.example.com."))])
            #expect(message.additional == [ResourceRecord(name: "ns1.example.com.", ttl: 3600, rdata: .a(IPv4Address(192, 0, 2, 53)))])
            #expect(message.answers.map(\.description) == [
                "example.com.\t3600\tIN\tMX\t10 mail.example.com.",
                "example.com.\t3600\tIN\tMX\t20 backup.mail.example.com.",
            ])
        }

        @Test func extendedResponseCodeCombinesHeaderAndOPT() throws {
            // RCODE 16 (BADVERS): upper eight bits 0x01 in the OPT TTL, lower four 0 in the header.
            let hex = header(flags: 0x8000, qd: 1, ar: 1) + questionA + optRecord(payload: 1232, ttl: "01 00 0000")
            let message = try Message(decoding: ByteBuffer(hex: hex))
            #expect(message.header.rcodeLow == 0)
            #expect(message.edns?.extendedRCode == 1)
            #expect(message.edns?.dnssecOK == false)
            #expect(message.edns?.udpPayloadSize == 1232)
            #expect(message.responseCode == .badVers)
        }

        @Test func decodingStartsAtTheReaderIndex() throws {
            // Pointers are offsets from the message start, not from the buffer's storage.
            var buffer = ByteBuffer(hex: "ffffff " + Self.responseWithPointers)
            buffer.moveReaderIndex(forwardBy: 3)
            let message = try Message(decoding: buffer)
            #expect(message.additional.first?.name == "ns1.example.com.")
        }

        @Test func wireReaderFollowsPointersAndResumesAfterThem() throws {
            // offset 0: example.com. ; offset 13: www + pointer to 0 ; offset 19: one more byte.
            var reader = WireReader(message: ByteBuffer(hex: "07 6578616d706c65 03 636f6d 00 | 03 777777 c000 | 2a"))
            #expect(try reader.readName() == "example.com.")
            #expect(reader.offset == 13)
            #expect(try reader.readName().presentation == "www.example.com.")
            #expect(reader.offset == 19)
            #expect(try reader.readUInt8() == 0x2A)
            #expect(reader.remaining == 0)
            #expect(throws: DNSWireError.truncated) { try reader.readUInt8() }
        }

        @Test func namesAreReadRelativeToTheMessageStartUpTo255Octets() throws {
            // Two octets before the message (a TCP length, say) that the reader must not count;
            // a 255-octet name (three 63-octet labels, one 61-octet label, the root), then a
            // name that points at its last label (offset 192).
            let long = String(repeating: "3f \(a63(63)) ", count: 3) + "3d \(a63(61)) 00"
            var buffer = ByteBuffer(hex: "ffff " + long + " 01 62 c0c0")
            buffer.moveReaderIndex(forwardBy: 2)
            var reader = WireReader(message: buffer)
            let first = try reader.readName()
            #expect(first.wire.count == 255)
            #expect(reader.offset == 255)
            let second = try reader.readName()
            #expect(second.wire == [1, 0x62, 61] + [UInt8](repeating: 0x61, count: 61) + [0])
            #expect(reader.remaining == 0)
        }

        @Test func aNameThatFailsStillSpendsTheMessagesBudget() {
            // One label read, then the name runs past the message: that step is spent.
            var reader = WireReader(message: ByteBuffer(hex: "03 616263"), decompressionBudget: 10)
            #expect(throws: DNSWireError.truncated) { try reader.readName() }
            #expect(reader.decompressionBudget == 9)
            #expect(reader.offset == 0)
        }

        @Test func twoPointersAtEachOtherAreALoop() {
            // offset 0 points at 2, offset 2 points back at 0; start reading at 2.
            var reader = WireReader(message: ByteBuffer(hex: "c002 c000"))
            reader.offset = 2
            #expect(throws: DNSWireError.compressionLoop) { try reader.readName() }
        }

        // MARK: - Malformed messages

        struct Malformed: Sendable, CustomTestStringConvertible {
            var testDescription: String
            var hex: String
            var error: DNSWireError
        }

        static let malformed: [Malformed] = [
            // Compression (RFC 1035 §4.1.4): pointers may only point at a prior occurrence.
            Malformed(testDescription: "pointer to itself", hex: header(qd: 1) + "c00c | 0001 | 0001", error: .compressionLoop),
            Malformed(testDescription: "pointer to the start of its own name", hex: header(qd: 1) + "01 61 c00c | 0001 | 0001", error: .compressionLoop),
            Malformed(testDescription: "forward pointer", hex: header(qd: 1) + "c010 | 0001 | 0001", error: .compressionLoop),
            Malformed(testDescription: "two pointers at each other",
                      // The first answer's opaque RDATA (offset 28) holds a pointer to offset 30;
                      // the second answer's owner (offset 30) points back at 28.
                      hex: header(qd: 1, an: 2) + "00 0001 0001 | " + record(type: 0xFF00, ttl: "00000000", rdata: "c01e")
                          + record(owner: "c01c", type: 1, rdata: "c0000201"),
                      error: .compressionLoop),
            // Label types 0x40 and 0x80 (RFC 6891 §5 retired them).
            Malformed(testDescription: "0x40 label type", hex: header(qd: 1) + "41 61 00 0001 0001", error: .badLabelType),
            Malformed(testDescription: "0x80 label type", hex: header(qd: 1) + "81 61 00 0001 0001", error: .badLabelType),
            Malformed(testDescription: "64-octet label", hex: header(qd: 1) + "40 \(a63(64)) 00 0001 0001", error: .badLabelType),
            Malformed(testDescription: "0x40 label type in an owner", hex: header(qd: 1, an: 1) + questionA + record(owner: "7f", type: 1, rdata: "c0000201"),
                      error: .badLabelType),
            // Names over 255 octets (RFC 1035 §2.3.4), here only once the pointer is followed.
            Malformed(testDescription: "name of 256 octets through a pointer",
                      hex: header(qd: 2) + String(repeating: "3f \(a63(63)) ", count: 3) + "00 0001 0001 | 3e \(a63(62)) c00c 0001 0001",
                      error: .nameTooLong),
            Malformed(testDescription: "name of 256 octets without pointers",
                      hex: header(qd: 1) + String(repeating: "3f \(a63(63)) ", count: 3) + "3f \(a63(63)) 00 0001 0001",
                      error: .nameTooLong),
            // Truncation anywhere.
            Malformed(testDescription: "empty message", hex: "", error: .truncated),
            Malformed(testDescription: "11-octet header", hex: "abcd 0000 0001 0000 0000 00", error: .truncated),
            Malformed(testDescription: "question count with no question", hex: header(qd: 1), error: .truncated),
            Malformed(testDescription: "label cut short", hex: header(qd: 1) + "03 7777", error: .truncated),
            Malformed(testDescription: "name without root label", hex: header(qd: 1) + "03 777777", error: .truncated),
            Malformed(testDescription: "pointer cut short", hex: header(qd: 1) + "c0", error: .truncated),
            Malformed(testDescription: "question without class", hex: header(qd: 1) + "00 0001", error: .truncated),
            Malformed(testDescription: "record cut inside the TTL", hex: header(an: 1) + "00 0001 0001 0000", error: .truncated),
            Malformed(testDescription: "record without RDLENGTH", hex: header(an: 1) + "00 0001 0001 00000e10", error: .truncated),
            Malformed(testDescription: "RDATA shorter than RDLENGTH", hex: header(an: 1) + record(type: 1, rdlength: 4, rdata: "c000"), error: .truncated),
            Malformed(testDescription: "answer count beyond the records", hex: header(an: 2) + record(type: 1, rdata: "c0000201"), error: .truncated),
            Malformed(testDescription: "OPT RDATA beyond the message", hex: header(ar: 1) + "00 0029 1000 00000000 0008 0008 0004", error: .truncated),
            // RDLENGTH that does not match what the type's layout consumes.
            Malformed(testDescription: "A with RDLENGTH 5", hex: header(an: 1) + record(type: 1, rdata: "c000020100"), error: .badRDataLength(type: 1)),
            Malformed(testDescription: "A with RDLENGTH 3", hex: header(an: 1) + record(type: 1, rdata: "c00002"), error: .badRDataLength(type: 1)),
            Malformed(testDescription: "AAAA with RDLENGTH 4", hex: header(an: 1) + record(type: 28, rdata: "20010db8"), error: .badRDataLength(type: 28)),
            Malformed(testDescription: "NS name longer than RDLENGTH", hex: header(an: 1) + record(type: 2, rdlength: 1, rdata: "03 6e7331 00"),
                      error: .badRDataLength(type: 2)),
            Malformed(testDescription: "CNAME with an octet after the name", hex: header(an: 1) + record(type: 5, rdata: "01 61 00 ff"),
                      error: .badRDataLength(type: 5)),
            Malformed(testDescription: "PTR with an octet after the name", hex: header(an: 1) + record(type: 12, rdata: "00 00"),
                      error: .badRDataLength(type: 12)),
            Malformed(testDescription: "MX with an octet after the exchange", hex: header(an: 1) + record(type: 15, rdata: "000a 00 ff"),
                      error: .badRDataLength(type: 15)),
            Malformed(testDescription: "SOA with an extra octet",
                      hex: header(an: 1) + record(type: 6, rdata: "00 00 00000001 00000002 00000003 00000004 00000005 ff"),
                      error: .badRDataLength(type: 6)),
            Malformed(testDescription: "SRV with an extra octet", hex: header(an: 1) + record(type: 33, rdata: "0001 0002 0003 00 ff"),
                      error: .badRDataLength(type: 33)),
            Malformed(testDescription: "TXT string past RDLENGTH", hex: header(an: 1) + record(type: 16, rdata: "05 6162"),
                      error: .badRDataLength(type: 16)),
            Malformed(testDescription: "empty TXT", hex: header(an: 1) + record(type: 16, rdata: ""), error: .badRDataLength(type: 16)),
            Malformed(testDescription: "SPF string past RDLENGTH", hex: header(an: 1) + record(type: 99, rdata: "05 6162"),
                      error: .badRDataLength(type: 99)),
            Malformed(testDescription: "CAA tag past RDLENGTH", hex: header(an: 1) + record(type: 257, rdata: "00 09 6973"),
                      error: .badRDataLength(type: 257)),
            Malformed(testDescription: "CAA with one octet", hex: header(an: 1) + record(type: 257, rdata: "00"), error: .badRDataLength(type: 257)),
            Malformed(testDescription: "CAA tag not alphanumeric", hex: header(an: 1) + record(type: 257, rdata: "00 02 2d2d 78"), error: .badRData("CAA tag")),
            Malformed(testDescription: "CAA empty tag", hex: header(an: 1) + record(type: 257, rdata: "00 00 78"), error: .badRData("CAA tag")),
            Malformed(testDescription: "EDNS option past RDLENGTH", hex: header(ar: 1) + "00 0029 1000 00000000 0005 0008 0004 00",
                      error: .badRDataLength(type: 41)),
            Malformed(testDescription: "EDNS option header cut", hex: header(ar: 1) + "00 0029 1000 00000000 0002 0008",
                      error: .badRDataLength(type: 41)),
            // OPT placement (RFC 6891 §6.1.1).
            Malformed(testDescription: "two OPT records", hex: header(qd: 1, ar: 2) + questionA + optRecord() + optRecord(), error: .badOPT),
            Malformed(testDescription: "OPT with a non-root owner", hex: header(qd: 1, ar: 1) + questionA + optRecord(owner: "01 61 00"), error: .badOPT),
            Malformed(testDescription: "OPT in the answer section", hex: header(qd: 1, an: 1) + questionA + optRecord(), error: .badOPT),
            Malformed(testDescription: "OPT in the authority section", hex: header(qd: 1, ns: 1) + questionA + optRecord(), error: .badOPT),
            // Leftovers.
            Malformed(testDescription: "trailing octet", hex: header(qd: 1) + questionA + "ff",
                      error: .badRData("trailing octets after the last record")),
        ]

        @Test(arguments: malformed)
        func malformedMessagesAreRejected(_ m: Malformed) {
            #expect(throws: m.error) { try Message(decoding: ByteBuffer(hex: m.hex)) }
        }

        @Test func nameOf255OctetsThroughAPointerIsAccepted() throws {
            let hex = header(qd: 2) + String(repeating: "3f \(a63(63)) ", count: 3) + "00 0001 0001 | 3d \(a63(61)) c00c 0001 0001"
            let message = try Message(decoding: ByteBuffer(hex: hex))
            #expect(message.questions.count == 2)
            #expect(message.questions[1].name.wire.count == 255)
            #expect(message.questions[1].name.parent == message.questions[0].name)
        }

        @Test func pointerIntoTheHeaderIsFollowed() throws {
            // A backward pointer is legal wherever it lands; offset 11 holds the low octet of
            // ARCOUNT (0), which reads as the root name.
            let message = try Message(decoding: ByteBuffer(hex: header(qd: 1) + "c00b 0001 0001"))
            #expect(message.questions.first?.name == .root)
        }

        @Test func unknownTypesAreKeptOpaque() throws {
            let hex = header(an: 1) + record(owner: "01 78 00", type: 0xFF00, rdata: "c000 0102")
            let message = try Message(decoding: ByteBuffer(hex: hex))
            // Octets that would be a pointer in a known type are only data here (RFC 3597 §4).
            #expect(message.answers.first?.rdata == .unknown(UnknownRData(type: RecordType(0xFF00), bytes: [0xC0, 0, 1, 2])))
            #expect(message.answers.first?.rdata.presentation == "\\# 4 c0000102")
        }
    }
}

// MARK: - The server's request decoder

extension DNSWireTests {
    @Suite struct QueryDecodingTests {
        private func decode(_ hex: String) -> Result<Query, Query.Rejection> {
            do throws(Query.Rejection) {
                return .success(try Query(decoding: ByteBuffer(hex: hex)))
            } catch {
                return .failure(error)
            }
        }

        private func rejection(_ hex: String) -> Query.Rejection? {
            if case .failure(let r) = decode(hex) { return r }
            return nil
        }

        @Test(arguments: ["", "abcd", "abcd 0000 0001 0000 0000 00"])
        func runtsAreDropped(_ hex: String) {
            #expect(rejection(hex) == .drop)
        }

        @Test func responsesAreDropped() {
            #expect(rejection(header(flags: 0x8000, qd: 1) + questionA) == .drop)
            // Even malformed ones: a response is never answered.
            #expect(rejection(header(flags: 0x8400, qd: 7) + "ff") == .drop)
        }

        @Test(arguments: [UInt8(1), 2, 4, 5, 6, 15])
        func otherOpcodesAreNotImplemented(_ opcode: UInt8) {
            let flags = UInt16(opcode) << 11 | 0x0100
            // A well-formed request comes back whole, so the reply can echo its question (and OPT).
            guard case .notImplemented(let query)? = rejection(header(id: 0x0102, flags: flags, qd: 1) + questionA) else {
                Issue.record("a well-formed request with opcode \(opcode) must be .notImplemented")
                return
            }
            #expect(query.id == 0x0102 && query.flags == flags && query.question.name == "www.example.com.")
            // One that does not parse still gets NOTIMP, not FORMERR.
            #expect(rejection(header(id: 0x0102, flags: flags)) == .reply(id: 0x0102, flags: flags, rcode: .notImp))
        }

        struct FormErrCase: Sendable, CustomTestStringConvertible {
            var testDescription: String
            var body: String
        }

        /// Request bodies (after a header with ID 0x7777 and flags RD|CD) that must get FORMERR.
        static let formErr: [FormErrCase] = [
            FormErrCase(testDescription: "no question", body: header(id: 0x7777, flags: 0x0110)),
            FormErrCase(testDescription: "two questions", body: header(id: 0x7777, flags: 0x0110, qd: 2) + questionA + questionA),
            FormErrCase(testDescription: "truncated question", body: header(id: 0x7777, flags: 0x0110, qd: 1) + "03 777777"),
            FormErrCase(testDescription: "question missing its class", body: header(id: 0x7777, flags: 0x0110, qd: 1) + wwwExampleCom + " 0001"),
            FormErrCase(testDescription: "compression loop in the question", body: header(id: 0x7777, flags: 0x0110, qd: 1) + "c00c 0001 0001"),
            FormErrCase(testDescription: "two OPT records",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 2) + questionA + optRecord() + optRecord()),
            FormErrCase(testDescription: "OPT with a non-root owner",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 1) + questionA + optRecord(owner: "01 61 00")),
            FormErrCase(testDescription: "trailing garbage", body: header(id: 0x7777, flags: 0x0110, qd: 1) + questionA + "00"),
            FormErrCase(testDescription: "additional count beyond the records", body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 1) + questionA),
            FormErrCase(testDescription: "answer RDATA beyond the message",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, an: 1) + questionA + record(type: 1, rdlength: 9, rdata: "c0000201")),
            FormErrCase(testDescription: "ECS family 3",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 1) + questionA + optRecord(options: ecs("0003 18 00 c00002"))),
            FormErrCase(testDescription: "ECS address bits beyond the source prefix",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 1) + questionA + optRecord(options: ecs("0001 17 00 c00003"))),
            FormErrCase(testDescription: "ECS address longer than the source prefix needs",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 1) + questionA + optRecord(options: ecs("0001 18 00 c0000201"))),
            FormErrCase(testDescription: "ECS address shorter than the source prefix needs",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 1) + questionA + optRecord(options: ecs("0001 18 00 c000"))),
            FormErrCase(testDescription: "ECS source prefix beyond 32 bits",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 1) + questionA + optRecord(options: ecs("0001 21 00 c0000201 00"))),
            FormErrCase(testDescription: "ECS option of 3 octets",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 1) + questionA + optRecord(options: ecs("0001 18"))),
            FormErrCase(testDescription: "EDNS option past the OPT RDATA",
                        body: header(id: 0x7777, flags: 0x0110, qd: 1, ar: 1) + questionA + "00 0029 1000 00000000 0004 0008 0010"),
        ]

        @Test(arguments: formErr)
        func malformedRequestsGetFormErr(_ c: FormErrCase) {
            #expect(rejection(c.body) == .reply(id: 0x7777, flags: 0x0110, rcode: .formErr))
        }

        @Test func plainQuery() throws {
            let query = try decode(header(id: 0x4242, flags: 0x0100, qd: 1) + questionA).get()
            #expect(query.id == 0x4242)
            #expect(query.flags == 0x0100)
            #expect(query.opcode == .query)
            #expect(query.question == Question(name: "www.example.com.", type: .a))
            #expect(query.questionEnd == 12 + 17 + 4)
            #expect(query.edns == nil)
            #expect(query.clientSubnet == nil)
        }

        @Test func queryWithValidIPv4ClientSubnet() throws {
            let query = try decode(WireDecodingTests.queryWithECS).get()
            #expect(query.id == 0x1234)
            #expect(query.question.name.presentation == "www.example.com.")
            #expect(query.questionEnd == 33)
            #expect(query.edns?.udpPayloadSize == 4096)
            #expect(query.edns?.dnssecOK == true)
            #expect(query.clientSubnet == ClientSubnet(address: IPAddress("192.0.2.0")!, sourcePrefixLength: 24))
        }

        @Test func queryWithValidIPv6ClientSubnet() throws {
            let hex = header(qd: 1, ar: 1) + questionA + optRecord(options: option(code: 10, "0102030405060708") + ecs("0002 38 00 20010db8abcdef"))
            let query = try decode(hex).get()
            let subnet = try #require(query.clientSubnet)
            #expect(subnet.address == IPAddress("2001:db8:abcd:ef00::"))
            #expect(subnet.sourcePrefixLength == 56)
            #expect(subnet.scopePrefixLength == 0)
            // Other options (here a cookie) are kept, in order.
            #expect(query.edns?.options.map(\.code) == [10, 8])
        }

        @Test func recordsInTheAnswerOrAuthoritySectionAreFormErr() {
            let answer = header(id: 0x7777, flags: 0x0110, qd: 1, an: 1) + questionA + record(owner: "c00c", type: 1, rdata: "c0000201")
            let authority = header(id: 0x7777, flags: 0x0110, qd: 1, ns: 1) + questionA + record(owner: "c00c", type: 2, rdata: "03 6e7331 c00c")
            #expect(rejection(answer) == .reply(id: 0x7777, flags: 0x0110, rcode: .formErr))
            #expect(rejection(authority) == .reply(id: 0x7777, flags: 0x0110, rcode: .formErr))
        }

        @Test func ixfrKeepsTheClientSOAInItsAuthoritySection() throws {
            // RFC 1995 §3: the IXFR request carries the client's SOA in the authority section.
            let soa = "c00c 0006 0001 00000e10 0016 00 00 00000001 00000000 00000000 00000000 00000000"
            let query = try decode(header(qd: 1, ns: 1) + wwwExampleCom + " 00fb 0001 " + soa).get()
            #expect(query.question.type == .ixfr)
        }

        @Test func additionalRecordsAreSkippedAndTheOPTFound() throws {
            // A non-OPT additional record (its owner a pointer, never followed) before the OPT.
            let hex = header(flags: 0x0010, qd: 1, ar: 2) + questionA
                + record(owner: "01 6b c00c", type: 0xFF00, rdata: "")
                + optRecord(payload: 512, options: ecs("0001 00 00"))
            let query = try decode(hex).get()
            #expect(query.flags == 0x0010)
            #expect(query.question.type == .a)
            #expect(query.edns?.udpPayloadSize == 512)
            #expect(query.clientSubnet == ClientSubnet(address: IPAddress("0.0.0.0")!, sourcePrefixLength: 0))
        }

        @Test func questionOctetsCanBeCopiedFromQuestionEnd() throws {
            var buffer = ByteBuffer(hex: "eeee " + header(qd: 1) + "01 78 00 001c 0001")
            buffer.moveReaderIndex(forwardBy: 2)
            let query = try Query(decoding: buffer)
            #expect(query.questionEnd == 12 + 3 + 4)
            #expect(query.question == Question(name: "x.", type: .aaaa))
            let questionOctets = buffer.getBytes(at: buffer.readerIndex + 12, length: query.questionEnd - 12)
            #expect(questionOctets.map(Hex.string) == Hex.normalized("01 78 00 001c 0001"))
        }
    }
}
