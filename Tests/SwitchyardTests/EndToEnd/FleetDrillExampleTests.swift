import Foundation
import Testing

extension EtcdBackedSuites {
    /// The fleet example as a newcomer runs it (`Examples/fleet-drill/run-fleet-drill.sh
    /// --check`): three instances over a three-member etcd cluster, an evacuation through one
    /// instance seen by all three within 1 s, writes refused with 503 while etcd is gone and
    /// accepted again after it returns, and the fleet in sync at the end.
    @Suite
    struct FleetDrillExampleTests {
        static let drill = RepositoryLayout.root.appendingPathComponent("Examples/fleet-drill/run-fleet-drill.sh")

        static let bash = ExternalTool.find("bash")
        static let python = ExternalTool.find("python3")
        static let etcd = ExternalTool.find("etcd")
        static let curl = ExternalTool.find("curl")

        /// The DNS client the drill will use for the answers it shows, in its own order of
        /// preference; nil when none is installed.
        static let dnsClient: String? = {
            if ExternalTool.find("dig") != nil { return "dig" }
            if python != nil && Dnspython.isAvailable { return "dnspython" }
            if ExternalTool.find("kdig") != nil { return "kdig" }
            return nil
        }()

        /// The rows of the report's flip table: step title -> per-instance ms after the write
        /// returned (nil where the table says `none`).
        static func flipTimes(in output: String, steps: [String]) -> [String: [Int?]] {
            var times: [String: [Int?]] = [:]
            for line in output.split(separator: "\n") {
                for step in steps {
                    guard let range = line.range(of: step + " ") else { continue }
                    // "<command ms>  <ns1> (<from start>)  <ns2> (...)  <ns3> (...)" or "none".
                    let fields = line[range.upperBound...].split(separator: " ").dropFirst()
                    times[step] = fields.filter { !$0.hasPrefix("(") }.map { Int($0) }
                }
            }
            return times
        }

        /// The seconds a report line gives right after `label`, as in "writes accepted after 1.52 s".
        static func seconds(after label: String, in output: String) -> Double? {
            guard let range = output.range(of: label) else { return nil }
            let rest = output[range.upperBound...].drop(while: { $0 == " " })
            return Double(rest.prefix(while: { $0.isNumber || $0 == "." }))
        }

        /// Thirteen distinct free loopback ports: three DNS, three admin, three etcd client,
        /// three etcd peer, one for the backends.
        static func distinctPorts() throws -> [UInt16] {
            var ports: [UInt16] = []
            for _ in 0..<100 where ports.count < 13 {
                let port = try LoopbackPort.pick()
                if !ports.contains(port) { ports.append(port) }
            }
            return try #require(ports.count == 13 ? ports : nil, "could not pick 13 distinct free loopback ports")
        }

        @Test(.enabled(if: FleetDrillExampleTests.etcd != nil, "etcd is not installed (Debian package etcd-server)"),
              .enabled(if: FleetDrillExampleTests.dnsClient != nil,
                       "no DNS client: install dig (Debian package bind9-dnsutils) or dnspython (pip install dnspython)"),
              .enabled(if: FleetDrillExampleTests.python != nil, "python3 is not installed (Debian package python3)"),
              .enabled(if: FleetDrillExampleTests.curl != nil, "curl is not installed (Debian package curl)"),
              .enabled(if: FleetDrillExampleTests.bash != nil, "bash is not installed"))
        func fleetDrillFlipsEveryInstanceAndRidesOutEtcdOutage() async throws {
            let switchyard = try #require(RepositoryLayout.switchyard, "the switchyard binary is missing and could not be built")
            let ports = try Self.distinctPorts().map(String.init)
            let list = { (range: Range<Int>) in ports[range].joined(separator: ",") }
            let run = try await ExternalTool.run(try #require(Self.bash), [
                Self.drill.path, "--check", "--switchyard", switchyard, "--etcd", try #require(Self.etcd),
                "--dns-ports", list(0..<3), "--admin-ports", list(3..<6),
                "--etcd-ports", list(6..<9), "--etcd-peer-ports", list(9..<12), "--backend-port", ports[12],
            ], in: RepositoryLayout.root, timeout: .seconds(120))
            let output = run.stdout + run.stderr
            #expect(run.status == 0, "run-fleet-drill.sh --check failed:\n\(output)")
            #expect(output.contains("DNS client:  \(Self.dnsClient ?? "")"))
            #expect(output.contains("Result: PASS"), "\(output)")

            // Every write, through whichever instance, reached all three within 1 s.
            let steps = ["evacuate us-east-1 through ns1", "restore us-east-1 through ns1",
                         "evacuate us-east-1 through ns3", "restore us-east-1 through ns2"]
            let times = Self.flipTimes(in: output, steps: steps)
            for step in steps {
                let row = times[step] ?? []
                #expect(row.count == 3, "no flip times for '\(step)' in the report:\n\(output)")
                for (instance, ms) in zip(["ns1", "ns2", "ns3"], row) {
                    #expect(ms != nil && ms! <= 1000, "\(instance) flip for '\(step)': \(ms.map { "\($0) ms" } ?? "none")")
                }
            }

            // etcd gone: answers unchanged, writes refused naming the cluster, the gauge at 0.
            #expect(output.contains("answers unchanged: yes; write refused with 503 naming the cluster: yes;"), "\(output)")
            #expect(output.contains("switchyard_cluster_connected 0 on every instance after"), "\(output)")
            let refusal = output.split(separator: "\n").first { $0.contains("HTTP 503 after") }
            #expect(refusal?.contains("\"cluster\"") == true && refusal?.contains("127.0.0.1:\(ports[6])") == true,
                    "the 503 does not name the cluster:\n\(output)")

            // etcd back: writes work again within SPEC's 15 s, and the fleet ends in sync.
            let writes = Self.seconds(after: "writes accepted after", in: output)
            #expect(writes != nil, "no recovery time in the report:\n\(output)")
            if let writes { #expect(writes <= 15, "writes worked again only after \(writes) s") }
            #expect(output.contains("At the end:    in sync: yes"), "\(output)")
        }
    }
}
