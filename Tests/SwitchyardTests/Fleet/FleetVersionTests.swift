import Foundation
@testable import HealthChecks
import Testing
import Zones

/// SPEC §6: instances report the zone versions they serve (origin, serial, content
/// digest, commit) and are in sync only when they all agree and are connected.
@Suite struct FleetVersionTests {
    static let text = """
        $ORIGIN v.test.
        @ 60 IN SOA ns h 1 60 60 60 60
        @ 60 IN NS ns
        ns 60 IN A 192.0.2.1
        www [weighted id=a weight=90] 60 IN A 192.0.2.10
        www [weighted id=b weight=10] 60 IN A 192.0.2.11
        """

    @Test func theDigestFollowsTheRecordsNotTheFormatting() throws {
        let zone = try #require(ZoneFixtures.zone(Self.text, origin: "v.test."))
        // Same records written otherwise: comments, absolute names, names in another order
        // (the routed sets of one name keep the order written, as `check --print` shows them).
        let reformatted = try #require(ZoneFixtures.zone("""
            ; the same zone
            $ORIGIN v.test.
            www.v.test. [weighted id=a weight=90] 60 IN A 192.0.2.10
            ns 60 IN A 192.0.2.1
            @ 60 IN NS ns.v.test.
            @ 60 IN SOA ns h 1 60 60 60 60
            www [weighted id=b weight=10] 60 IN A 192.0.2.11
            """, origin: "v.test."))
        // Same serial, one weight changed.
        let changed = try #require(ZoneFixtures.zone(Self.text.replacingOccurrences(of: "weight=90", with: "weight=80"), origin: "v.test."))
        #expect(zone.contentDigest().count == 16)
        #expect(zone.contentDigest() == reformatted.contentDigest())
        #expect(zone.serial == changed.serial)
        #expect(zone.contentDigest() != changed.contentDigest())
    }

    static func report(_ name: String, revision: Int64 = 5, digest: String = "aa", commit: String? = nil, connected: Bool = true) -> InstanceReport {
        InstanceReport(name: name, vantage: name, admin: nil, zones: [ZoneVersionReport(origin: "v.test.", serial: 1, digest: digest)],
                       stateRevision: revision, connected: connected, startedAt: Date(), updatedAt: Date(), commit: commit)
    }

    @Test func inSyncNeedsTheSameZonesRevisionAndCommitOnConnectedInstances() {
        func fleet(_ instances: [InstanceReport]) -> FleetView {
            FleetView(cluster: nil, prefix: nil, revision: 5, instances: instances)
        }
        #expect(fleet([Self.report("a"), Self.report("b")]).inSync)
        #expect(!fleet([Self.report("a"), Self.report("b", revision: 4)]).inSync)
        #expect(!fleet([Self.report("a"), Self.report("b", digest: "bb")]).inSync)
        #expect(!fleet([Self.report("a", commit: "c1"), Self.report("b", commit: "c2")]).inSync)
        #expect(!fleet([Self.report("a"), Self.report("b", connected: false)]).inSync)
    }
}
