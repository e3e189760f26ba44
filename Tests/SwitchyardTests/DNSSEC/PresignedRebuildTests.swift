@testable import Authority
import DNSSEC
import DNSWire
import Foundation
import Testing
import Zones

extension DNSSECTests {
    @Suite struct PresignedRebuildTests {
        static let window = SignatureWindow(now: 1_796_476_455)

        /// The stored signature of `name`'s `type` set in `zones`, looked up as the answer path does.
        static func signature(_ table: PresignedAnswers, _ zones: ZoneSet, _ name: DomainName, _ type: RecordType) throws -> [UInt8]? {
            let zone = try #require(zones.zones.first)
            let match = zone.trie.closestMatch(name, apexLabels: zone.originLabels)
            #expect(match.exact)
            let set = try #require(zone.trie.nodes[Int(match.node)].rrset(type))
            return table.signature(for: StoredSetKey(owner: name, type: type, ttl: set.ttl, data: set.data), window: window)
        }

        @Test func rebuildAfterAReloadKeepsSignaturesOfUnchangedSetsAndSignsChangedOnes() throws {
            let key = ZoneSigningKey.generate(zone: SignedZoneFixture.apex)
            let keys = ZoneKeys([key])
            let before = ZoneFixtures.zoneSet(SignedZoneFixture.text, origin: "signed.test.")
            let changedText = SignedZoneFixture.text.replacingOccurrences(of: "\"here\"", with: "\"there\"")
            let after = ZoneFixtures.zoneSet(changedText, origin: "signed.test.")
            let first = PresignedAnswers.build(zones: before, keys: keys, window: Self.window)
            let second = PresignedAnswers.build(zones: after, keys: keys, window: Self.window, previous: first)
            #expect(second.count == first.count)
            // ECDSA signatures are randomised: equal bytes mean the signature was taken over.
            let unchanged = try #require(try Self.signature(first, before, "plain.signed.test.", .a))
            #expect(try Self.signature(second, after, "plain.signed.test.", .a) == unchanged)
            let changedBefore = try #require(try Self.signature(first, before, "plain.signed.test.", .txt))
            let changedAfter = try #require(try Self.signature(second, after, "plain.signed.test.", .txt))
            #expect(changedAfter != changedBefore)
            // The old table's stored keys name the old zone's storage: they do not answer for the new one.
            #expect(try Self.signature(first, after, "plain.signed.test.", .a) == nil)
        }

        @Test func signaturesOfAnotherKeyOrWindowAreNotTakenOver() throws {
            let zones = ZoneFixtures.zoneSet(SignedZoneFixture.text, origin: "signed.test.")
            let first = PresignedAnswers.build(zones: zones, keys: ZoneKeys([.generate(zone: SignedZoneFixture.apex)]), window: Self.window)
            let rekeyed = PresignedAnswers.build(zones: zones, keys: ZoneKeys([.generate(zone: SignedZoneFixture.apex)]),
                                                 window: Self.window, previous: first)
            let old = try #require(try Self.signature(first, zones, "plain.signed.test.", .a))
            let new = try #require(try Self.signature(rekeyed, zones, "plain.signed.test.", .a))
            #expect(old != new)
            #expect(!PresignedAnswers.isSigned(old, by: .generate(zone: SignedZoneFixture.apex)))
        }
    }
}
