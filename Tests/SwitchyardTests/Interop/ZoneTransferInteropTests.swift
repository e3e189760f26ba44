import DNSWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Zone transfers to standard tools (SPEC §9): kdig asks for AXFR and IXFR, with and
/// without TSIG, and Knot runs as a secondary of a Switchyard zone, kept current by NOTIFY.
@Suite("Zone transfer interop")
struct ZoneTransferInteropTests {
    static let kdig = ExternalTool.find("kdig")
    static let knotd = ExternalTool.find("knotd")
    static let secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

    static func plainZone(serial: Int, extra: String = "", names: Int = 0) -> String {
        ZoneTransferServiceTests.plainZone(serial: serial, extra: extra, names: names, retry: 3600, nameServer: "127.0.0.1")
    }

    static let routedZone = ZoneTransferServiceTests.routedZone

    static func folder(_ prefix: String, plain: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder(prefix: prefix)
        let zones = folder.file("zones")
        try FileManager.default.createDirectory(at: zones, withIntermediateDirectories: true)
        try plain.write(to: zones.appendingPathComponent("plain.test.zone"), atomically: true, encoding: .utf8)
        try routedZone.write(to: zones.appendingPathComponent("routed.test.zone"), atomically: true, encoding: .utf8)
        return folder
    }

    /// kdig's answer lines as `owner ttl TYPE rdata`, TSIG records left out, and its stderr.
    static func dig(_ port: UInt16, _ arguments: [String]) async throws -> (records: [String], status: Int32, stderr: String, stdout: String) {
        let run = try await ExternalTool.run(kdig!, ["@127.0.0.1", "-p", String(port), "+noall", "+answer", "+timeout=3", "+retry=0"] + arguments,
                                             timeout: .seconds(20))
        let records = run.stdout.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 5, !line.hasPrefix(";"), fields[3] != "TSIG" else { return nil }
            return ([fields[0], fields[1]] + fields[3...]).joined(separator: " ")
        }
        return (records, run.status, run.stderr, run.stdout)
    }

    static func soa(_ serial: Int) -> String { "plain.test. 300 SOA ns1.plain.test. hostmaster.plain.test. \(serial) 3600 3600 86400 60" }

    static let plainRecords = [
        "plain.test. 300 NS ns1.plain.test.", "ns1.plain.test. 300 A 127.0.0.1", "www.plain.test. 300 A 192.0.2.10",
        "www.plain.test. 300 A 192.0.2.11", "mail.plain.test. 300 MX 10 mx.plain.test.", "mx.plain.test. 300 A 192.0.2.20",
    ]

    /// Waits (polling by query) until the server's SOA for plain.test. has `serial`.
    static func waitForSerial(_ serial: UInt32, port: UInt16) async -> Bool {
        await SwitchyardProcess.poll(within: .seconds(10)) {
            let query = Message.query(id: 0x5150, name: "plain.test.", type: .soa)
            guard let reply = try? LoopbackDNS.exchange(query, port: port, transport: .udp, timeout: .milliseconds(300)),
                  case .soa(let soa)? = reply.message.answers.first?.rdata else { return false }
            return soa.serial == serial
        } != nil
    }

    @Test(.enabled(if: ZoneTransferInteropTests.kdig != nil, "kdig is not installed (Debian package knot-dnsutils)"),
          .enabled(if: RepositoryLayout.switchyard != nil, "the switchyard executable could not be built"),
          .timeLimit(.minutes(1)))
    func kdigTransfersAPlainZoneAndItsChanges() async throws {
        let folder = try Self.folder("xfr-kdig", plain: Self.plainZone(serial: 1))
        defer { folder.remove() }
        let switchyard = try await SwitchyardProcess.launch(folder: folder, probe: ("plain.test.", .soa),
                                                            extraArguments: ["--allow-transfer", "127.0.0.1/32"])
        defer { switchyard.stop() }
        let port = switchyard.server.port

        let axfr = try await Self.dig(port, ["plain.test.", "AXFR"])
        #expect(axfr.status == 0, "\(axfr.stderr)")
        #expect(axfr.records.first == Self.soa(1) && axfr.records.last == Self.soa(1))
        #expect(Array(axfr.records.dropFirst().dropLast()).sorted() == Self.plainRecords.sorted())

        // Change the zone (one address replaced, one name added) and reload.
        let changed = Self.plainZone(serial: 2, extra: "new IN AAAA 2001:db8::1\n").replacingOccurrences(of: "192.0.2.11", with: "192.0.2.12")
        try changed.write(to: folder.file("zones/plain.test.zone"), atomically: true, encoding: .utf8)
        kill(switchyard.server.child.pid, SIGHUP)
        #expect(await Self.waitForSerial(2, port: port), "the reload did not publish serial 2")

        let ixfr = try await Self.dig(port, ["plain.test.", "IXFR=1"])
        #expect(ixfr.status == 0, "\(ixfr.stderr)")
        #expect(ixfr.records == [Self.soa(2), Self.soa(1), "www.plain.test. 300 A 192.0.2.11",
                                 Self.soa(2), "www.plain.test. 300 A 192.0.2.12", "new.plain.test. 300 AAAA 2001:db8::1", Self.soa(2)])
        // A serial the history does not hold: the whole zone, in the AXFR form.
        let fallback = try await Self.dig(port, ["plain.test.", "IXFR=0"])
        let axfr2 = try await Self.dig(port, ["plain.test.", "AXFR"])
        #expect(axfr2.records.count == 9)
        #expect(fallback.records == axfr2.records)
        // Already current: the single SOA.
        let current = try await Self.dig(port, ["plain.test.", "IXFR=2"])
        #expect(current.records == [Self.soa(2)])

        let routed = try await Self.dig(port, ["routed.test.", "AXFR"])
        #expect(routed.stderr.contains("REFUSED") && routed.records.isEmpty, "a zone with routed names: \(routed.stderr)")
        let outsider = try await Self.dig(port, ["-b", "127.0.0.2", "plain.test.", "AXFR"])
        #expect(outsider.stderr.contains("REFUSED") && outsider.records.isEmpty, "outside --allow-transfer: \(outsider.stderr)")
        let overUDP = try await Self.dig(port, ["+notcp", "plain.test.", "AXFR"])
        #expect(overUDP.stderr.contains("FORMERR") && overUDP.records.isEmpty, "AXFR over UDP: \(overUDP.stderr)")

        // Ordinary queries are answered as before, routed names included.
        let www = try await Self.dig(port, ["www.plain.test.", "A"])
        #expect(www.records.sorted() == ["www.plain.test. 300 A 192.0.2.10", "www.plain.test. 300 A 192.0.2.12"])
        let routedWWW = try await Self.dig(port, ["www.routed.test.", "A"])
        #expect(routedWWW.records.count == 1)
        #expect(switchyard.server.child.isRunning)
    }

    @Test(.enabled(if: ZoneTransferInteropTests.kdig != nil, "kdig is not installed (Debian package knot-dnsutils)"),
          .enabled(if: RepositoryLayout.switchyard != nil, "the switchyard executable could not be built"),
          .timeLimit(.minutes(1)))
    func tsigGuardsTransfersWhenAKeyIsSet() async throws {
        let folder = try Self.folder("xfr-tsig", plain: Self.plainZone(serial: 1, names: 3000))
        defer { folder.remove() }
        let keyFile = folder.file("xfr.key")
        try "key \"xfr-key\" {\n\talgorithm hmac-sha256;\n\tsecret \"\(Self.secret)\";\n};\n".write(to: keyFile, atomically: true, encoding: .utf8)
        let switchyard = try await SwitchyardProcess.launch(folder: folder, probe: ("plain.test.", .soa),
                                                            extraArguments: ["--allow-transfer", "127.0.0.0/8", "--tsig-key", keyFile.path])
        defer { switchyard.stop() }
        let port = switchyard.server.port

        // kdig checks the signature of every message; 3000 TXT records take several.
        let signed = try await Self.dig(port, ["-y", "hmac-sha256:xfr-key:\(Self.secret)", "+stats", "plain.test.", "AXFR"])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.records.count == 3000 + 8)
        let messages = signed.stdout.split(separator: "\n").first { $0.contains("messages") }.map(String.init) ?? ""
        #expect(messages.range(of: #"\(([2-9]|\d\d+) messages"#, options: .regularExpression) != nil, "several signed messages: \(messages)")

        let wrongSecret = try await Self.dig(port, ["-y", "hmac-sha256:xfr-key:AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "plain.test.", "AXFR"])
        #expect(wrongSecret.stderr.contains("BADSIG") && wrongSecret.records.isEmpty, "\(wrongSecret.stderr)")
        let wrongName = try await Self.dig(port, ["-y", "hmac-sha256:other-key:\(Self.secret)", "plain.test.", "AXFR"])
        #expect(wrongName.stderr.contains("BADKEY") && wrongName.records.isEmpty, "\(wrongName.stderr)")
        let unsigned = try await Self.dig(port, ["plain.test.", "AXFR"])
        #expect(unsigned.stderr.contains("REFUSED") && unsigned.records.isEmpty, "\(unsigned.stderr)")
        let ixfr = try await Self.dig(port, ["-y", "hmac-sha256:xfr-key:\(Self.secret)", "plain.test.", "IXFR=1"])
        #expect(ixfr.status == 0 && ixfr.records == [Self.soa(1)], "\(ixfr.stderr)")

        // A secondary's signed SOA query gets a signed answer (kdig warns when it is not).
        for transport in ["+notcp", "+tcp"] {
            let soa = try await Self.dig(port, ["-y", "hmac-sha256:xfr-key:\(Self.secret)", transport, "plain.test.", "SOA"])
            #expect(soa.status == 0 && soa.records == [Self.soa(1)], "\(soa.stderr)")
            #expect(!soa.stderr.contains("WARNING") && !soa.stderr.contains("ERROR"), "\(transport): \(soa.stderr)")
        }
        let badSOA = try await ExternalTool.run(Self.kdig!, ["@127.0.0.1", "-p", String(port), "+timeout=3", "+retry=0",
                                                              "-y", "hmac-sha256:xfr-key:AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                                                              "plain.test.", "SOA"], timeout: .seconds(20))
        #expect(badSOA.stdout.contains("status: BADSIG") && badSOA.stdout.contains("ANSWER: 0"), "\(badSOA.stdout)")
        let plain = try await Self.dig(port, ["www.plain.test.", "A"])
        #expect(plain.records.count == 2, "unsigned queries are answered as before")
    }

    @Test(.enabled(if: RepositoryLayout.switchyard != nil, "the switchyard executable could not be built"),
          .timeLimit(.minutes(1)))
    func aBadKeyFileStopsTheServerNamingTheFileNotTheSecret() async throws {
        let folder = try Self.folder("xfr-badkey", plain: Self.plainZone(serial: 1))
        defer { folder.remove() }
        let keyFile = folder.file("bad.key")
        try "key \"xfr-key\" {\n\talgorithm hmac-md5;\n\tsecret \"\(Self.secret)\";\n};\n".write(to: keyFile, atomically: true, encoding: .utf8)
        let run = try await ExternalTool.run(RepositoryLayout.switchyard!, [
            "serve", folder.file("zones").path, "--listen", "127.0.0.1:0", "--admin", "off", "--state-dir", folder.file("state").path,
            "--allow-transfer", "127.0.0.1", "--tsig-key", keyFile.path], timeout: .seconds(20))
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(keyFile.path):2: algorithm hmac-md5 is not supported"), "\(run.stderr)")
        #expect(!run.stderr.contains(Self.secret))
    }

    /// A minimal knotd secondary: the zone from Switchyard, NOTIFY accepted from it, its
    /// own refresh pushed an hour out so only a NOTIFY explains a quick update.
    static func knotConfiguration(port: UInt16, primary: UInt16, folder: URL, signed: Bool) -> String {
        let key = signed ? "    key: xfr-key\n" : ""
        return """
        server:
            listen: 127.0.0.1@\(port)
            rundir: \(folder.path)
            udp-workers: 1
            tcp-workers: 1
            background-workers: 1
        log:
          - target: stderr
            any: info
        database:
            storage: \(folder.appendingPathComponent("knot-db").path)
        key:
          - id: xfr-key
            algorithm: hmac-sha256
            secret: \(secret)
        remote:
          - id: switchyard
            address: 127.0.0.1@\(primary)
        \(key)acl:
          - id: notify-from-switchyard
            address: 127.0.0.1
            action: notify
        \(key)template:
          - id: default
            storage: \(folder.appendingPathComponent("knot-zones").path)
            zonefile-sync: -1
            zonefile-load: none
            journal-content: none
        zone:
          - domain: plain.test.
            master: switchyard
            acl: notify-from-switchyard
            refresh-min-interval: 3600
            retry-min-interval: 3600

        """
    }

    @Test(.enabled(if: ZoneTransferInteropTests.knotd != nil, "knotd is not installed (Debian package knot)"),
          .enabled(if: RepositoryLayout.switchyard != nil, "the switchyard executable could not be built"),
          .timeLimit(.minutes(1)), arguments: [false, true])
    func knotFollowsASwitchyardZoneByNotify(signed: Bool) async throws {
        let folder = try Self.folder("xfr-knot", plain: Self.plainZone(serial: 1))
        defer { folder.remove() }
        let knotPort = try LoopbackPort.pick()
        var arguments = ["--allow-transfer", "127.0.0.1/32", "--notify", "127.0.0.1:\(knotPort)"]
        if signed {
            // kdig's one-line form this time.
            try "hmac-sha256:xfr-key:\(Self.secret)\n".write(to: folder.file("xfr.key"), atomically: true, encoding: .utf8)
            arguments += ["--tsig-key", folder.file("xfr.key").path]
        }
        let switchyard = try await SwitchyardProcess.launch(folder: folder, probe: ("plain.test.", .soa), extraArguments: arguments)
        defer { switchyard.stop() }

        let configuration = folder.file("knot.conf")
        try Self.knotConfiguration(port: knotPort, primary: switchyard.server.port, folder: folder.url, signed: signed)
            .write(to: configuration, atomically: true, encoding: .utf8)
        let knot = try ChildProcess(executable: Self.knotd!, arguments: ["-c", configuration.path], directory: folder.url,
                                    stdout: folder.file("knot.out"), stderr: folder.file("knot.err"))
        defer { knot.stop() }

        let answers = { @Sendable (name: DomainName, type: RecordType) -> [ResourceRecord] in
            let query = Message.query(id: 0x4B4E, name: name, type: type)
            guard let reply = try? LoopbackDNS.exchange(query, port: knotPort, transport: .udp, timeout: .milliseconds(300)),
                  reply.message.responseCode == .noError, reply.message.header.isAuthoritative else { return [] }
            return reply.message.answers
        }
        let loaded = await SwitchyardProcess.poll(within: .seconds(20)) { answers("www.plain.test.", .a).count == 2 }
        #expect(loaded != nil, "knot never served the zone:\n\(knot.output)\n\(switchyard.server.child.output)")
        guard loaded != nil else { return }

        let changed = Self.plainZone(serial: 2, extra: "fresh IN A 192.0.2.99\n")
        try changed.write(to: folder.file("zones/plain.test.zone"), atomically: true, encoding: .utf8)
        kill(switchyard.server.child.pid, SIGHUP)
        let followed = await SwitchyardProcess.poll(within: .seconds(10)) {
            answers("fresh.plain.test.", .a).contains { if case .a(let a) = $0.rdata { a.description == "192.0.2.99" } else { false } }
        }
        #expect(followed != nil, "knot did not pick up serial 2 within 10 s (its refresh is an hour):\n\(knot.output)")
        #expect(knot.output.contains("notify, incoming"), "the update came by NOTIFY:\n\(knot.output)")
    }
}
