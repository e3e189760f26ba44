import DNSWire
import Foundation
import Testing

/// Routed answers over real UDP for clients on several continents, countries and US
/// states, as dnspython sends them with EDNS Client Subnet (ROUTE53.md §1.3–§1.7, §5).
@Suite struct ClientSubnetLiveTests {
    static let python = ExternalTool.find("python3")
    static let hasDnspython: Bool = {
        guard let python else { return false }
        return (try? ExternalTool.run(python, ["-c", "import dns.edns, dns.message, dns.query"], timeout: .seconds(20)))?.status == 0
    }()

    /// (name, ECS subnet, expected answer, expected scope)
    static let cases: [(String, String, String, Int)] = [
        ("geo.routed.test.", "10.1.7.0/24", "192.0.2.3", 16),    // France: continent EU
        ("geo.routed.test.", "10.2.7.0/24", "192.0.2.4", 16),    // Germany: its own country set
        ("geo.routed.test.", "10.3.7.0/24", "192.0.2.9", 16),    // Japan: no AS set, the default
        ("geo.routed.test.", "10.4.7.0/24", "192.0.2.1", 16),    // California: the state set
        ("geo.routed.test.", "10.5.7.0/24", "192.0.2.2", 16),    // New York: no state set, the US set
        ("geo.routed.test.", "10.6.7.0/24", "192.0.2.2", 16),    // US, no state known
        ("geo.routed.test.", "10.7.7.0/24", "192.0.2.9", 16),    // Brazil: default
        // Unmapped: the default. Every mapped network starts with a 0 bit, so the first bit
        // alone decides: scope /1.
        ("geo.routed.test.", "203.0.113.0/24", "192.0.2.9", 1),
        ("geo.routed.test.", "2001:db8:1:100::/56", "192.0.2.3", 48), // London over IPv6: EU
        ("lat.routed.test.", "10.1.7.0/24", "192.0.2.13", 16),   // Paris → eu-west-3
        ("lat.routed.test.", "10.2.7.0/24", "192.0.2.14", 16),   // Frankfurt → eu-central-1
        ("lat.routed.test.", "10.3.7.0/24", "192.0.2.15", 16),   // Tokyo → ap-northeast-1
        ("lat.routed.test.", "10.4.7.0/24", "192.0.2.12", 16),   // San Francisco → us-west-1
        ("lat.routed.test.", "10.5.7.0/24", "192.0.2.11", 16),   // New York → us-east-1
        ("lat.routed.test.", "10.7.7.0/24", "192.0.2.16", 16),   // São Paulo → sa-east-1
        ("lat.routed.test.", "10.8.7.0/24", "192.0.2.17", 16),   // Sydney → ap-southeast-2
        ("ip.routed.test.", "10.1.2.0/24", "192.0.2.21", 24),    // inside the paris block
        ("ip.routed.test.", "10.1.0.0/16", "192.0.2.29", 16),    // shorter than the /24 block: no match
        ("ip.routed.test.", "10.3.4.0/24", "192.0.2.22", 20),    // inside the tokyo /20
        // No block: the default. 10.9 leaves the blocks' common path (10.1/10.3) at bit 13.
        ("ip.routed.test.", "10.9.0.0/24", "192.0.2.29", 13),
        ("www.routed.test.", "10.1.7.0/24", "192.0.2.80", 0),    // a plain name: scope 0
    ]

    @Test(.enabled(if: ClientSubnetLiveTests.hasDnspython, "dnspython is not installed (pip install dnspython)"))
    func answersDependOnTheClientSubnet() async throws {
        let folder = try TemporaryFolder(prefix: "ecs")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.file("zones"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: RepositoryLayout.fixture("routing/routed.test.zone"), to: folder.file("zones/routed.test.zone"))
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("routed.test.", .soa),
                                       extraArguments: ["--geo-networks", RepositoryLayout.fixture("routing/geo-networks.csv").path])
        defer { sy.stop() }
        let script = RepositoryLayout.fixture("routing/ecs_client.py").path
        let run = try await ExternalTool.run(Self.python!, [script, "\(sy.server.port)"] + Self.cases.map { "\($0.0)=\($0.1)" })
        #expect(run.status == 0, "\(run.stderr)")
        let results = (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [[String: Any]] ?? []
        #expect(results.count == Self.cases.count)
        for (result, expected) in zip(results, Self.cases) {
            #expect(result["error"] == nil, "\(expected.0) from \(expected.1): \(result["error"] ?? "")")
            #expect(result["answer"] as? [String] == [expected.2], "\(expected.0) from \(expected.1)")
            #expect(result["scope"] as? Int == expected.3, "scope for \(expected.0) from \(expected.1)")
        }
    }
}
