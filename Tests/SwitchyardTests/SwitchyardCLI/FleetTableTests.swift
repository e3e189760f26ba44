import AdminContract
import Foundation
@testable import SwitchyardCLI
import Testing

/// `switchyard fleet`'s table: one row per instance, then whether the fleet is in sync and,
/// when it is not, which instances differ and how.
@Suite struct FleetTableTests {
    static let at = Date(timeIntervalSince1970: 1_796_000_000)
    static let drill = AdminJSON.ZoneVersion(origin: "drill.test.", serial: 7, digest: "3f2a9c0d11e4b5a6")
    static let example = AdminJSON.ZoneVersion(origin: "example.test.", serial: 2026120401, digest: "a1b2c3d4e5f60718")

    static func instance(_ name: String, zones: [AdminJSON.ZoneVersion] = [drill, example], revision: Int64 = 12,
                         connected: Bool = true) -> AdminJSON.FleetInstance {
        AdminJSON.FleetInstance(name: name, vantage: "vantage-\(name)", admin: nil, zones: zones, stateRevision: revision,
                                connected: connected, updatedAt: at, startedAt: nil)
    }

    @Test func aFleetInSyncListsEveryInstanceAndSaysYes() {
        let report = AdminJSON.FleetReport(cluster: ["http://127.0.0.1:2379"], prefix: "/switchyard/", revision: 12, inSync: true,
                                           instances: [Self.instance("ns1"), Self.instance("ns2")])
        let lines = FleetTable.render(report).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 4, "\(lines)")
        #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true)
            == ["INSTANCE", "VANTAGE", "CONNECTED", "STATE", "REV", "ZONES", "UPDATED"])
        #expect(lines[1] == "ns1       vantage-ns1  yes        12         drill.test. 7 3f2a9c0d, example.test. 2026120401 a1b2c3d4  2026-11-30T00:53:20Z",
                "\(lines[1])")
        #expect(lines[2].hasPrefix("ns2  "))
        #expect(lines[3] == "in sync: yes (revision 12)")
    }

    @Test func aFleetOutOfSyncNamesTheInstancesThatDiffer() {
        let stale = AdminJSON.ZoneVersion(origin: "drill.test.", serial: 6, digest: "0badc0de99999999")
        let report = AdminJSON.FleetReport(cluster: ["http://127.0.0.1:2379"], prefix: "/switchyard/", revision: 12, inSync: false,
                                           instances: [Self.instance("ns1"), Self.instance("ns2", revision: 11, connected: false),
                                                       Self.instance("ns3", zones: [stale]), Self.instance("ns4")])
        let text = FleetTable.render(report)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("in sync: no (revision 12)"), "\(text)")
        #expect(lines.contains("  ns2: state revision 11, not 12; not connected"), "\(text)")
        #expect(lines.contains("  ns3: zones differ: serves drill.test. 6 0badc0de; lacks example.test."), "\(text)")
        #expect(!lines.contains { $0.hasPrefix("  ns1:") || $0.hasPrefix("  ns4:") }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("ns2  ") && $0.contains(" no ") && $0.contains(" 11 ") }, "\(text)")
    }

    @Test func anInstanceWithoutZonesOrReportTimeShowsDashes() {
        let empty = AdminJSON.FleetInstance(name: "ns9", vantage: "ns9", admin: nil, zones: [], stateRevision: 0, connected: true,
                                            updatedAt: nil, startedAt: nil)
        let text = FleetTable.render(AdminJSON.FleetReport(cluster: nil, prefix: nil, revision: 0, inSync: true, instances: [empty]))
        let row = text.split(separator: "\n").map(String.init)[1]
        #expect(row.split(separator: " ") == ["ns9", "ns9", "yes", "0", "-", "-"], "\(row)")
    }
}

extension FleetTableTests {
    @Test func instancesServingFromGitShowTheirCommitAndWhoDiffers() {
        let version = AdminJSON.ZoneVersion(origin: "drill.test.", serial: 7, digest: "3f2a9c0d11e4b5a6")
        let a = AdminJSON.FleetInstance(name: "ns1", vantage: "ns1", admin: nil, zones: [version], stateRevision: 4, connected: true,
                                        updatedAt: nil, startedAt: nil, commit: "0123456789abcdef0123456789abcdef01234567")
        var b = a
        b.name = "ns2"
        b.commit = "fedcba9876543210fedcba9876543210fedcba98"
        let text = FleetTable.render(AdminJSON.FleetReport(cluster: nil, prefix: nil, revision: 4, inSync: false, instances: [a, b]))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].contains("COMMIT"))
        #expect(lines[1].contains("0123456789ab") && lines[2].contains("fedcba987654"), "\(text)")
        #expect(lines.contains("  ns2: serves commit fedcba987654, not 0123456789ab"), "\(text)")
    }
}
