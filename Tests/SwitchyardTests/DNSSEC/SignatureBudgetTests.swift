import Authority
import DNSSEC
import DNSWire
import Foundation
import NIOCore
import Routing
import Testing
import Zones

extension DNSSECTests {
    @Suite struct SignatureBudgetTests {
        @Test func signatureCacheHoldsNoMoreThanItsCapacityAndKeepsTheNewest() {
            var cache = SignatureCache(capacity: 10)
            let window = SignatureWindow(now: 1_796_476_455)
            for i in 0..<100 { cache.insert([UInt8(i)], for: [UInt8(i), 1], window: window) }
            #expect(cache.count <= 10)
            #expect(cache.count > 0)
            #expect(cache.signature(for: [99, 1], window: window) == [99])
            #expect(cache.signature(for: [0, 1], window: window) == nil)
            // A new day's window empties it.
            #expect(cache.signature(for: [99, 1], window: SignatureWindow(now: 1_796_476_455 + 86_400)) == nil)
            #expect(cache.count == 0)
        }

        @Test func queryThreadCacheStaysBoundedUnderRandomNames() throws {
            let fixture = SignedZoneFixture(cacheCapacity: 8)
            for i in 0..<50 { _ = fixture.reply(SignedZoneFixture.query(try DomainName("r\(i).signed.test."), .a)) }
            let signer = try #require(fixture.responder.signer)
            #expect(signer.cache.count <= 8)
            #expect(signer.cache.count > 0)
            #expect(signer.signaturesMade >= 50)
        }

        @Test func repeatedAnswersAreSignedOnce() throws {
            let fixture = SignedZoneFixture()
            for _ in 0..<20 { _ = fixture.reply(SignedZoneFixture.query("plain.signed.test.", .a)) }
            #expect(fixture.responder.signer?.signaturesMade == 1)
        }

        @Test func presignedAnswersLeaveOnlyDenialsAndMultivalueSubsetsToSignOnline() throws {
            let fixture = SignedZoneFixture(presign: true)
            #expect((fixture.responder.engine.presigned?.current.count ?? 0) > 10)
            let listable: [(DomainName, RecordType)] = [
                ("plain.signed.test.", .a), ("Plain.Signed.Test.", .txt), ("alias.signed.test.", .a), ("signed.test.", .dnskey),
                ("signed.test.", .soa), ("signed.test.", .ns), ("ns.sub.signed.test.", .a),
            ]
            // The weighted name answers with either set over many queries; both are signed ahead.
            for _ in 0..<40 { _ = fixture.reply(SignedZoneFixture.query("www.signed.test.", .a)) }
            for (name, type) in listable { _ = fixture.reply(SignedZoneFixture.query(name, type)) }
            let signer = try #require(fixture.responder.signer)
            #expect(signer.signaturesMade == 0)
            #expect(signer.presignedHits >= 40 + listable.count)
            // A denial's NSEC cannot be listed: one fresh signature (its SOA was signed ahead).
            _ = fixture.reply(SignedZoneFixture.query("nope.signed.test.", .a))
            #expect(fixture.responder.signer?.signaturesMade == 1)
        }

        @Test func rateCapAdmitsItsBudgetEachSecond() {
            let cap = SignatureRateCap(perSecond: 3)
            #expect((0..<5).map { _ in cap.admit(second: 100) } == [true, true, true, false, false])
            #expect(cap.admit(second: 101))
        }

        @Test func floodOfRandomNamesGetsServfailPastTheZonesFreshSignatureBudget() throws {
            let key = ZoneSigningKey.generate(zone: SignedZoneFixture.apex)
            var signer = AnswerSigner(keys: ZoneKeys([key], signaturesPerSecond: 5))
            let snapshot = Authority.Snapshot(zones: ZoneFixtures.zoneSet(SignedZoneFixture.text, origin: "signed.test."))
            let now: UInt32 = 1_796_476_455
            var random = SplitMix64(seed: 7)
            func answer(_ name: String, at second: UInt32) throws -> Response {
                let query = try Query(decoding: ByteBuffer(bytes: SignedZoneFixture.query(try DomainName(name), .a)))
                let response = Authority().answer(query.question, client: ClientContext(source: IPAddress("192.0.2.1")!),
                                                  snapshot: snapshot, random: &random)
                return signer.sign(response, to: query, snapshot: snapshot, now: second)
            }
            var rcodes: [ResponseCode] = []
            for i in 0..<30 { rcodes.append(try answer("flood\(i).signed.test.", at: now).rcode) }
            // The first denial signs the SOA and its NSEC; each of the next three one NSEC.
            #expect(signer.signaturesMade == 5)
            #expect(rcodes.prefix(4).allSatisfy { $0 == .noError })
            #expect(rcodes.dropFirst(4).allSatisfy { $0 == .servFail })
            // Cached answers still go out within the same second, and the next second has a new budget.
            #expect(try answer("flood0.signed.test.", at: now).rcode == .noError)
            #expect(try answer("flood29.signed.test.", at: now + 1).rcode == .noError)
        }
    }
}
