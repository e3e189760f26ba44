import DNSWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §1 reload triggers and operator output, against the built binary: `--watch`
/// (within 2 s), SIGHUP, `switchyard reload`, `--query-log`.
@Suite(.serialized) struct ReloadEndToEndTests {
    static func zone(_ address: String, serial: Int) -> String {
        """
        $ORIGIN watch.test.
        $TTL 60
        @   IN SOA ns hostmaster \(serial) 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        www IN A   \(address)
        $INCLUDE extra.inc
        """
    }

    static func start(watch: Bool, queryLog: Bool = false) async throws -> (TemporaryFolder, SwitchyardProcess) {
        let folder = try TemporaryFolder(prefix: "watch")
        try folder.writeZone(zone("192.0.2.1", serial: 1), as: "watch.test.zone")
        try "extra IN TXT \"one\"\n".write(to: folder.file("zones/extra.inc"), atomically: true, encoding: .utf8)
        var extra: [String] = []
        if watch { extra.append("--watch") }
        if queryLog { extra.append("--query-log") }
        return (folder, try await SwitchyardProcess.launch(folder: folder, probe: ("watch.test.", .soa), extraArguments: extra))
    }

    static func txt(_ sy: SwitchyardProcess, _ name: DomainName) -> String? {
        let reply = try? LoopbackDNS.exchange(Message.query(id: 3, name: name, type: .txt), port: sy.server.port, transport: .udp)
        return reply?.message.answers.first?.rdata.presentation
    }

    @Test func watchPicksUpZoneAndIncludeChangesWithinTwoSeconds() async throws {
        let (folder, sy) = try await Self.start(watch: true)
        defer { sy.stop(); folder.remove() }
        #expect(sy.addresses("www.watch.test.") == ["192.0.2.1"])
        try Self.zone("192.0.2.2", serial: 2).write(to: folder.file("zones/watch.test.zone"), atomically: true, encoding: .utf8)
        let zoneChange = await sy.waitForAnswer("www.watch.test.", ["192.0.2.2"], within: .seconds(5))
        #expect(zoneChange != nil)
        #expect((zoneChange ?? .seconds(99)) <= .seconds(2))
        try "extra IN TXT \"two\"\n".write(to: folder.file("zones/extra.inc"), atomically: true, encoding: .utf8)
        let includeChange = await SwitchyardProcess.poll(within: .seconds(5)) { Self.txt(sy, "extra.watch.test.") == "\"two\"" }
        #expect(includeChange != nil)
        #expect((includeChange ?? .seconds(99)) <= .seconds(2))
        // A broken edit keeps the old version serving.
        try (Self.zone("192.0.2.3", serial: 3) + "\nbad IN A nonsense\n").write(to: folder.file("zones/watch.test.zone"), atomically: true, encoding: .utf8)
        #expect(await sy.waitForAnswer("www.watch.test.", ["192.0.2.3"], within: .seconds(3)) == nil)
        #expect(sy.addresses("www.watch.test.") == ["192.0.2.2"])
    }

    @Test func sighupAndTheReloadCommandReload() async throws {
        let (folder, sy) = try await Self.start(watch: false)
        defer { sy.stop(); folder.remove() }
        try Self.zone("192.0.2.5", serial: 5).write(to: folder.file("zones/watch.test.zone"), atomically: true, encoding: .utf8)
        kill(sy.server.child.pid, SIGHUP)
        #expect(await sy.waitForAnswer("www.watch.test.", ["192.0.2.5"], within: .seconds(5)) != nil)
        try Self.zone("192.0.2.6", serial: 6).write(to: folder.file("zones/watch.test.zone"), atomically: true, encoding: .utf8)
        let reload = try await sy.client(["reload"])
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(reload.stdout.contains("watch.test.: loaded"))
        // The reload answers when it is done: the new data answers at once.
        #expect(sy.addresses("www.watch.test.") == ["192.0.2.6"])
        try "www IN A\n".write(to: folder.file("zones/watch.test.zone"), atomically: true, encoding: .utf8)
        let failed = try await sy.client(["reload"])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("failed-kept-previous"))
        #expect(sy.addresses("www.watch.test.") == ["192.0.2.6"])
    }

    @Test func queryLogWritesOneLinePerQueryAndStartupIsSummarised() async throws {
        let (folder, sy) = try await Self.start(watch: false, queryLog: true)
        defer { sy.stop(); folder.remove() }
        _ = sy.addresses("www.watch.test.", subnet: "198.51.100.0/24")
        sy.stop()
        let output = sy.server.child.output
        #expect(output.contains("serving 1 zone(s) (watch.test.)"))
        #expect(output.contains("query client=127.0.0.1 ecs=198.51.100.0/24 name=www.watch.test. type=A rcode=NOERROR policy=- set=-"))
    }
}
