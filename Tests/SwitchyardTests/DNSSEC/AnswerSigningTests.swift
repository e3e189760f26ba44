import Authority
import DNSSEC
import DNSServer
import DNSWire
import Foundation
import NIOCore
import Routing
import Testing
import Zones

extension DNSSECTests {
    @Suite struct AnswerSigningTests {
        /// The NSEC records of a section: owner, next name and the types of the bitmap.
        static func nsecs(_ records: [ResourceRecord]) -> [(owner: DomainName, next: DomainName, types: Set<UInt16>)] {
            records.compactMap { record in
                guard record.type == .nsec, case .unknown(let data) = record.rdata else { return nil }
                var i = 0
                while i < data.bytes.count && data.bytes[i] != 0 { i += 1 + Int(data.bytes[i]) }
                let next = DomainName(uncheckedWire: Array(data.bytes[0...i]))
                var types: Set<UInt16> = []
                var k = i + 1
                while k + 2 <= data.bytes.count {
                    let window = UInt16(data.bytes[k])
                    let length = Int(data.bytes[k + 1])
                    for octet in 0..<length where k + 2 + octet < data.bytes.count {
                        for bit in 0..<8 where data.bytes[k + 2 + octet] & (0x80 >> UInt8(bit)) != 0 {
                            types.insert(window << 8 | UInt16(octet * 8 + bit))
                        }
                    }
                    k += 2 + length
                }
                return (record.name, next, types)
            }
        }

        static func rrsigs(_ records: [ResourceRecord]) -> [[UInt8]] {
            records.compactMap { record in
                guard record.type == .rrsig, case .unknown(let data) = record.rdata else { return nil }
                return data.bytes
            }
        }

        @Test func nonexistentNameIsNodataWithOneMinimallyCoveringNSECNamingNXNAME() throws {
            let fixture = SignedZoneFixture()
            let reply = try fixture.ask("nope.signed.test.", .a)
            #expect(reply.responseCode == .noError)
            #expect(reply.answers.isEmpty)
            let nsec = Self.nsecs(reply.authority)
            #expect(nsec.count == 1)
            #expect(nsec.first?.owner == "nope.signed.test.")
            #expect(nsec.first?.next.wire == [1, 0] + DomainName("nope.signed.test.").wire)
            #expect(nsec.first?.types == [RecordType.rrsig.rawValue, RecordType.nsec.rawValue, 128])
            #expect(reply.authority.filter { $0.type == .rrsig }.count == 2, "the SOA and the NSEC are signed")
            #expect(reply.edns?.dnssecOK == true)
            #expect(reply.edns?.compactOK == false)
        }

        @Test func clientThatSetsCOGetsNXDOMAINAndCOBack() throws {
            let fixture = SignedZoneFixture()
            let reply = try fixture.ask("nope.signed.test.", .a, compactOK: true)
            #expect(reply.responseCode == .nxDomain)
            #expect(reply.edns?.compactOK == true)
            #expect(Self.nsecs(reply.authority).first?.types.contains(128) == true)
        }

        @Test(arguments: [
            ("plain.signed.test.", RecordType.aaaa, [RecordType.a, .txt, .rrsig, .nsec]),
            ("ent.signed.test.", .a, [.rrsig, .nsec]),
            ("y.wild.signed.test.", .aaaa, [.a, .rrsig, .nsec]),
            ("signed.test.", .aaaa, [.ns, .soa, .rrsig, .nsec, .dnskey]),
            ("sub.signed.test.", .ds, [.ns, .rrsig, .nsec]),
        ])
        func nodataBitmapListsTheTypesAtTheNameButNotTheOneAskedFor(name: String, type: RecordType, expected: [RecordType]) throws {
            let fixture = SignedZoneFixture()
            let reply = try fixture.ask(try DomainName(name), type)
            #expect(reply.responseCode == .noError)
            #expect(reply.answers.isEmpty)
            let nsec = try #require(Self.nsecs(reply.authority).first)
            #expect(nsec.owner == (try DomainName(name)))
            #expect(nsec.types == Set(expected.map(\.rawValue)))
        }

        @Test func wildcardAnswerIsSignedAsTheQueryNameWithItsOwnLabelCount() throws {
            let fixture = SignedZoneFixture()
            let reply = try fixture.ask("x.wild.signed.test.", .a)
            let rrsig = try #require(Self.rrsigs(reply.answers).first)
            #expect(reply.answers.first { $0.type == .rrsig }?.name == "x.wild.signed.test.")
            #expect(rrsig[3] == 4, "labels: x.wild.signed.test has four")
        }

        @Test func rrsigCarriesTheRRsetTTLAndTheDailyWindow() throws {
            let fixture = SignedZoneFixture()
            let reply = try fixture.ask("www.signed.test.", .a)
            let sig = try #require(reply.answers.first { $0.type == .rrsig })
            #expect(sig.ttl == 60)
            guard case .unknown(let data) = sig.rdata else { Issue.record("RRSIG not opaque"); return }
            let bytes = data.bytes
            func u32(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
            #expect(u32(4) == 60, "original TTL")
            let window = SignatureWindow(now: UInt32(Date().timeIntervalSince1970))
            #expect(u32(8) == window.expiration)
            #expect(u32(12) == window.inception)
            #expect(bytes[2] == 13)
            #expect(UInt16(bytes[16]) << 8 | UInt16(bytes[17]) == fixture.key.keyTag)
            #expect(bytes.count == 18 + SignedZoneFixture.apex.wire.count + 64)
        }

        @Test func windowIsTheUTCDayLessAnHourUntilTwoWeeksAfterTheDayStarts() {
            // 2026-12-05T13:14:15Z.
            let window = SignatureWindow(now: 1_796_476_455)
            #expect(window.inception == 1_796_428_800 - 3_600)
            #expect(window.expiration == 1_796_428_800 + 14 * 86_400)
            #expect(SignatureWindow(now: 1_796_428_800) == SignatureWindow(now: 1_796_428_800 + 86_399))
        }

        @Test func referralLeavesNSUnsignedAndProvesTheChildHasNoDS() throws {
            let fixture = SignedZoneFixture()
            let reply = try fixture.ask("x.sub.signed.test.", .a)
            #expect(!reply.header.isAuthoritative)
            #expect(reply.authority.contains { $0.type == .ns && $0.name == "sub.signed.test." })
            #expect(!reply.authority.contains { $0.type == .rrsig && $0.rdata.presentation.hasPrefix("NS ") })
            let nsec = try #require(Self.nsecs(reply.authority).first)
            #expect(nsec.owner == "sub.signed.test.")
            #expect(nsec.types == [RecordType.ns.rawValue, RecordType.rrsig.rawValue, RecordType.nsec.rawValue])
            #expect(reply.authority.filter { $0.type == .rrsig }.count == 1)
        }

        @Test func answerWhoseRRSIGDoesNotFitUDPIsTruncatedAndWholeOverTCP() throws {
            let fixture = SignedZoneFixture()
            let query = SignedZoneFixture.query("big.signed.test.", .txt, payload: 512)
            let udp = try Message(decoding: ByteBuffer(bytes: fixture.reply(query, transport: .udp)))
            #expect(udp.header.isTruncated)
            #expect(!udp.answers.contains { $0.type == .rrsig })
            let tcp = try Message(decoding: ByteBuffer(bytes: fixture.reply(query, transport: .tcp)))
            #expect(!tcp.header.isTruncated)
            #expect(tcp.answers.map(\.type) == [.txt, .rrsig])
        }

        @Test func apexServesItsDNSKEYSignedWithDOAndBareWithout() throws {
            let fixture = SignedZoneFixture()
            let signed = try fixture.ask("signed.test.", .dnskey)
            #expect(signed.answers.map(\.type) == [.dnskey, .rrsig])
            guard case .unknown(let key) = signed.answers[0].rdata else { Issue.record("DNSKEY not opaque"); return }
            #expect(key.bytes == fixture.key.dnskeyData)
            let bare = try fixture.ask("signed.test.", .dnskey, dnssecOK: false)
            #expect(bare.answers.map(\.type) == [.dnskey])
        }

        @Test func queriesWithoutDOAreAnsweredByteForByteAsIfNoZoneWereSigned() throws {
            let signed = SignedZoneFixture()
            let zones = ZoneFixtures.zoneSet(SignedZoneFixture.text, origin: "signed.test.")
            let plain = QueryResponder(engine: QueryEngine(authority: Authority(), zones: ZoneStore(zones)), random: SplitMix64(seed: 1))
            let questions: [(DomainName, RecordType)] = [
                ("plain.signed.test.", .a), ("alias.signed.test.", .a), ("x.wild.signed.test.", .a), ("nope.signed.test.", .a),
                ("plain.signed.test.", .aaaa), ("x.sub.signed.test.", .a), ("signed.test.", .soa), ("www.signed.test.", .a),
            ]
            for (name, type) in questions {
                for edns in [true, false] {
                    let query = SignedZoneFixture.query(name, type, dnssecOK: false, edns: edns)
                    let expected: [UInt8] = plain.respond(to: ByteBuffer(bytes: query), from: IPAddress("192.0.2.1")!, transport: .udp)
                        ? Array(buffer: plain.reply) : []
                    #expect(!expected.isEmpty)
                    #expect(signed.reply(query, transport: .udp) == expected, "\(name) \(type) edns=\(edns)")
                }
            }
            #expect(signed.responder.signer?.signaturesMade == 0)
        }

        @Suite(.enabled(if: DNSSECPython.isAvailable, "dnspython or python3-cryptography is missing (Debian python3-dnspython python3-cryptography)"))
        struct DnspythonValidation {
            static let questions: [(String, RecordType)] = [
                ("plain.signed.test.", .a), ("alias.signed.test.", .a), ("x.wild.signed.test.", .a),
                ("www.signed.test.", .a), ("mv.signed.test.", .a), ("nope.signed.test.", .a), ("plain.signed.test.", .aaaa),
                ("ent.signed.test.", .a), ("signed.test.", .dnskey), ("signed.test.", .soa), ("signed.test.", .ns),
                ("x.sub.signed.test.", .a), ("sub.signed.test.", .ds), ("PLAIN.Signed.TEST.", .txt),
            ]

            @Test func everySignedRRsetValidatesWithDnspython() throws {
                for presign in [false, true] {
                    let fixture = SignedZoneFixture(presign: presign)
                    let replies = try Self.questions.map { name, type in fixture.reply(SignedZoneFixture.query(try DomainName(name), type)) }
                    let results = try DNSSECPython.validate(replies, key: fixture.key)
                    #expect(results.count == Self.questions.count)
                    for ((name, type), lines) in zip(Self.questions, results) {
                        #expect(!lines.isEmpty, "\(name) \(type)")
                        #expect(lines.allSatisfy { $0.hasPrefix("ok ") || $0 == "unsigned sub.signed.test. NS" }, "\(name) \(type) presign \(presign): \(lines)")
                        #expect(lines.contains { $0.hasPrefix("ok ") }, "\(name) \(type)")
                    }
                }
            }
        }
    }
}
