import DNSWire
import Foundation
import NIOCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built server under attacks that only show in a whole process: descriptor
/// exhaustion by idle TCP clients (SPEC §5: probes and the admin API keep their
/// descriptors) and a query-type sweep against `/metrics` (labels from bounded sets).
@Suite(.serialized) struct ServerUnderAttackTests {
    static func zone(check: String) -> String {
        """
        $ORIGIN attack.test.
        $TTL 60
        @   IN SOA ns hostmaster 1 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        www IN A   192.0.2.80
        $HEALTHCHECK hc \(check) interval=1s timeout=1s threshold=2
        app [failover id=primary role=primary health=hc] 60 IN A 192.0.2.1
        app [failover id=standby role=secondary]          60 IN A 192.0.2.2
        """
    }

    static func folder(check: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder(prefix: "attack")
        try folder.writeZone(zone(check: check), as: "attack.test.zone")
        return folder
    }

    @Test(.enabled(if: ExternalTool.find("bash") != nil, "needs bash (Debian package bash)"))
    func idleTCPClientsCannotTakeTheDescriptorsOfProbesAndAdmin() async throws {
        let backend = try await HTTPBackend.start(host: "127.0.0.41")
        let folder = try Self.folder(check: backend.url)
        defer { folder.remove() }
        let executable = try #require(RepositoryLayout.switchyard)
        let adminPort = try LoopbackPort.pick()
        // A 256-descriptor process, soft and hard: 300 idle connections used to take them
        // all, so probes failed locally (scored as the target down) and /healthz went dark.
        let server = try await ServerUnderTest.start(name: "switchyard", executable: "/bin/bash", folder: folder,
                                                     probe: ("attack.test.", .soa)) { port in
            ["-c", "ulimit -n 256 && exec \"$0\" \"$@\"", executable, "serve", folder.file("zones").path,
             "--listen", "127.0.0.1:\(port)", "--admin", "127.0.0.1:\(adminPort)", "--state-dir", folder.file("state").path,
             "--threads", "1"]
        }
        defer { server.stop() }
        let port = server.port
        let held = await onOwnThread { () -> [LoopbackSocket] in
            var sockets: [LoopbackSocket] = []
            for k in 0..<300 {
                guard let socket = try? LoopbackSocket(udp: false, from: "127.0.5.\(k / 15 + 1)") else { break }
                socket.setTimeout(.seconds(3))
                if (try? socket.connect(port: port)) == nil { socket.close(); continue }
                sockets.append(socket)
            }
            return sockets
        }
        defer { for socket in held { socket.close() } }
        // Well past the server's 128 (half of 256); some connects may time out while the
        // server, busy beside the other suites, drains its accept queue.
        #expect(held.count >= 160)
        let probesBefore = backend.requestCount
        // Over three probe intervals (more than interval × threshold), all keeps working.
        var healthzFailures = 0
        for _ in 0..<6 {
            if await AdminHTTP.get(port: adminPort, path: "/healthz")?.status != 200 { healthzFailures += 1 }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(healthzFailures == 0)
        #expect(backend.requestCount >= probesBefore + 2, "the probes stopped reaching the backend")
        let checks = try #require(await AdminHTTP.get(port: adminPort, path: "/v1/health-checks"))
        #expect(checks.body.contains("\"effective\":\"healthy\""), "\(checks.body)")
        #expect(checks.body.contains("pass"), "\(checks.body)")
        let reply = try LoopbackDNS.exchange(Message.query(id: 9, name: "app.attack.test.", type: .a), port: port, transport: .udp,
                                             timeout: .seconds(1))
        #expect(reply.message.answers.map(\.rdata) == [.a(IPv4Address(192, 0, 2, 1))])
        let metrics = try #require(await AdminHTTP.get(port: adminPort, path: "/metrics"))
        #expect(metrics.body.contains("switchyard_tcp_connections_refused_total{reason=\"total\"}"), "no refusal counted")
        #expect(server.child.isRunning)
        await backend.stop()
    }

    @Test func aQueryTypeSweepAddsNoMetricSeries() async throws {
        let folder = try Self.folder(check: "tcp://127.0.0.1:9")
        defer { folder.remove() }
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("attack.test.", .soa))
        defer { sy.stop() }
        let port = sy.server.port
        // 3,000 distinct types, in windows of 100 so none is lost to a full socket buffer.
        let (sent, answered, took) = await onOwnThread { () -> (Int, Int, Duration) in
            guard let socket = try? LoopbackSocket(udp: true) else { return (0, 0, .zero) }
            defer { socket.close() }
            socket.setTimeout(.milliseconds(500))
            guard (try? socket.connect(port: port)) != nil else { return (0, 0, .zero) }
            var sent = 0, answered = 0
            let started = ContinuousClock.now
            for window in stride(from: 1000, to: 4000, by: 100) {
                for type in window..<(window + 100) {
                    let query = Message.query(id: UInt16(type), name: "www.attack.test.", type: RecordType(UInt16(type)))
                    sent += socket.sendSome(Array(query.encode().readableBytesView)) > 0 ? 1 : 0
                }
                for _ in 0..<100 { if (try? socket.receive(upTo: 4096)) != nil { answered += 1 } else { break } }
            }
            return (sent, answered, ContinuousClock.now - started)
        }
        #expect(sent == 3000)
        // Registering a series per type stalled the DNS thread for over a minute.
        #expect(answered >= 2990, "\(answered) of \(sent) answered")
        #expect(took < .seconds(20), "the sweep took \(took)")
        // Let the once-a-second hand-over to the metrics run, then count type labels.
        var types: Set<String> = []
        for _ in 0..<30 {
            if let metrics = await AdminHTTP.get(port: sy.adminPort, path: "/metrics") {
                types = Self.labelValues("type", of: "switchyard_queries_total", in: metrics.body)
                if types.contains("other") { break }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(types.contains("other"))
        #expect(types.contains("SOA"))
        let known = Set(["A", "NS", "CNAME", "SOA", "PTR", "HINFO", "MX", "TXT", "AAAA", "SRV", "DNAME", "OPT", "DS", "RRSIG",
                         "NSEC", "DNSKEY", "SPF", "IXFR", "AXFR", "MAILB", "MAILA", "ANY", "CAA", "other"])
        #expect(types.isSubset(of: known), "unbounded type labels: \(types.subtracting(known).sorted().prefix(5))")
    }

    /// The values label `label` takes in the samples of `metric`.
    static func labelValues(_ label: String, of metric: String, in text: String) -> Set<String> {
        var values: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") {
            guard let range = line.range(of: "\(label)=\"") else { continue }
            values.insert(String(line[range.upperBound...].prefix { $0 != "\"" }))
        }
        return values
    }
}
