import DNSWire
import Foundation
import Testing

/// SPEC §5: a reload whose new zone file holds a record no message can carry (RDATA over
/// 65,535 bytes) is a load error; the running server keeps answering from the previous
/// version. Before, encoding the record's 16-bit length trapped and took every zone down.
@Suite(.serialized) struct HostileReloadEndToEndTests {
    @Test func reloadWithOversizedRecordKeepsThePreviousVersionServing() async throws {
        let (folder, sy) = try await ReloadEndToEndTests.start(watch: false)
        defer { sy.stop(); folder.remove() }
        #expect(sy.addresses("www.watch.test.") == ["192.0.2.1"])

        let strings = Array(repeating: "\"" + String(repeating: "x", count: 255) + "\"", count: 300).joined(separator: " ")
        let hostile = ReloadEndToEndTests.zone("192.0.2.9", serial: 9) + "\nbig IN TXT \(strings)\n"
        try hostile.write(to: folder.file("zones/watch.test.zone"), atomically: true, encoding: .utf8)
        let reload = try await sy.client(["reload"])
        #expect(reload.status == 1, "\(reload.stdout)\(reload.stderr)")
        #expect(reload.stdout.contains("watch.test.: failed-kept-previous"), "\(reload.stdout)")
        #expect(reload.stdout.contains("watch.test.zone:8:12: error: TXT record: RDATA of 76800 bytes exceeds 65,535"), "\(reload.stdout)")

        // Still running, still answering from the previous version.
        #expect(sy.server.child.isRunning)
        #expect(sy.addresses("www.watch.test.") == ["192.0.2.1"])
        #expect(ReloadEndToEndTests.txt(sy, "extra.watch.test.") == "\"one\"")

        // A fixed file loads on the next reload.
        try ReloadEndToEndTests.zone("192.0.2.10", serial: 10).write(to: folder.file("zones/watch.test.zone"), atomically: true, encoding: .utf8)
        #expect(try await sy.client(["reload"]).status == 0)
        #expect(sy.addresses("www.watch.test.") == ["192.0.2.10"])
    }

    @Test func serveTakesTheZoneLimitsAndAReloadOverThemKeepsServing() async throws {
        let folder = try TemporaryFolder(prefix: "limits")
        try folder.writeZone(ReloadEndToEndTests.zone("192.0.2.1", serial: 1), as: "watch.test.zone")
        try "extra IN TXT \"one\"\n".write(to: folder.file("zones/extra.inc"), atomically: true, encoding: .utf8)
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("watch.test.", .soa),
                                                    extraArguments: ["--max-includes", "1", "--max-zone-records", "5"])
        defer { sy.stop(); folder.remove() }
        #expect(ReloadEndToEndTests.txt(sy, "extra.watch.test.") == "\"one\"")

        // A second inclusion of the same file is one too many.
        try (ReloadEndToEndTests.zone("192.0.2.2", serial: 2) + "\n$INCLUDE extra.inc\n").write(to: folder.file("zones/watch.test.zone"), atomically: true, encoding: .utf8)
        let includes = try await sy.client(["reload"])
        #expect(includes.status == 1)
        #expect(includes.stdout.contains("watch.test.zone:8:10: error: $INCLUDE of extra.inc exceeds the limit of 1 includes per zone (--max-includes)"), "\(includes.stdout)")
        #expect(sy.addresses("www.watch.test.") == ["192.0.2.1"])

        // Four records and the included one fill the five; a sixth is refused.
        try (ReloadEndToEndTests.zone("192.0.2.3", serial: 3) + "\nmore IN A 192.0.2.4\n").write(to: folder.file("zones/watch.test.zone"), atomically: true, encoding: .utf8)
        let records = try await sy.client(["reload"])
        #expect(records.status == 1)
        #expect(records.stdout.contains("watch.test.zone:8:1: error: zone has more than 5 records (--max-zone-records)"), "\(records.stdout)")
        #expect(sy.addresses("www.watch.test.") == ["192.0.2.1"])
        #expect(sy.server.child.isRunning)
    }
}
