import DNSWire
import Foundation
import Testing

/// SPEC §6 `GET /metrics`: queries counted by zone, type, rcode, policy, set and
/// transport, exactly, across the once-a-second hand-overs (a key counted before a
/// hand-over is counted on from where it was after it).
@Suite struct QueryMetricsEndToEndTests {
    static let zone = """
        $ORIGIN metrics.test.
        $TTL 60
        @   IN SOA ns hostmaster 1 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        $HEALTHCHECK main-check tcp://127.0.0.1:9 disabled
        www [weighted id=blue weight=1] IN A 192.0.2.1
        www [weighted id=green weight=0] IN A 192.0.2.2
        api [failover id=main role=primary health=main-check] IN A 192.0.2.10
        api [failover id=spare role=secondary] IN A 192.0.2.11
        """

    /// The `switchyard_queries_total` samples as label sets with their values.
    static func samples(_ text: String) -> [[String: String]: Double] {
        var found: [[String: String]: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("switchyard_queries_total{") {
            guard let close = line.lastIndex(of: "}"), let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)) else { continue }
            var labels: [String: String] = [:]
            let body = line[line.index(after: line.firstIndex(of: "{")!)..<close]
            for pair in body.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            found[labels] = value
        }
        return found
    }

    static func labels(type: String = "A", rcode: String = "NOERROR", policy: String, set: String, transport: String) -> [String: String] {
        ["zone": "metrics.test.", "type": type, "rcode": rcode, "policy": policy, "set": set, "transport": transport]
    }

    /// The samples once every `expected` one has its value (read every 200 ms, up to 10 s).
    static func await(_ expected: [[String: String]: Double], from sy: SwitchyardProcess) async -> [[String: String]: Double] {
        var seen: [[String: String]: Double] = [:]
        for _ in 0..<50 {
            if let metrics = await AdminHTTP.get(port: sy.adminPort, path: "/metrics") {
                seen = samples(metrics.body)
                if expected.allSatisfy({ seen[$0.key] == $0.value }) { return seen }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return seen
    }

    static func ask(_ sy: SwitchyardProcess, _ name: DomainName, times: Int, transport: LoopbackDNS.Transport) -> Int {
        var answered = 0
        for i in 0..<times {
            let query = Message.query(id: UInt16(i + 1), name: name, type: .a)
            if (try? LoopbackDNS.exchange(query, port: sy.server.port, transport: transport, timeout: .seconds(1))) != nil { answered += 1 }
        }
        return answered
    }

    @Test func queriesAreCountedByPolicySetRcodeAndTransportAcrossHandOvers() async throws {
        let folder = try TemporaryFolder(prefix: "metrics")
        defer { folder.remove() }
        try folder.writeZone(Self.zone, as: "metrics.test.zone")
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("metrics.test.", .soa))
        defer { sy.stop() }

        let first = await onOwnThread {
            [Self.ask(sy, "www.metrics.test.", times: 5, transport: .udp), Self.ask(sy, "www.metrics.test.", times: 2, transport: .tcp),
             Self.ask(sy, "api.metrics.test.", times: 3, transport: .udp), Self.ask(sy, "nope.metrics.test.", times: 4, transport: .udp)]
        }
        #expect(first == [5, 2, 3, 4])
        let www = Self.labels(policy: "weighted", set: "blue", transport: "udp")
        var expected = [
            www: 5.0,
            Self.labels(policy: "weighted", set: "blue", transport: "tcp"): 2,
            Self.labels(policy: "failover", set: "main", transport: "udp"): 3,
            Self.labels(rcode: "NXDOMAIN", policy: "", set: "", transport: "udp"): 4,
        ]
        let before = await Self.await(expected, from: sy)
        #expect(expected.allSatisfy { before[$0.key] == $0.value }, "\(before)")
        // Weight 0 beside a weighted set is never chosen, so it has no series.
        #expect(before[Self.labels(policy: "weighted", set: "green", transport: "udp")] == nil)

        // After the hand-over the same key counts on.
        let again = await onOwnThread { Self.ask(sy, "www.metrics.test.", times: 4, transport: .udp) }
        #expect(again == 4)
        expected[www] = 9
        let after = await Self.await(expected, from: sy)
        #expect(expected.allSatisfy { after[$0.key] == $0.value }, "\(after)")
    }
}
