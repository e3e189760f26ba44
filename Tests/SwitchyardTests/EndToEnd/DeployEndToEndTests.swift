import DNSWire
import Foundation
import Testing

/// SPEC §7 `switchyard deploy COMMIT [--wait]`: one server moves to the commit before the
/// command returns; with `--cluster` every instance loads it from its own repository, and
/// `--wait` names the instances still serving something else.
@Suite(.serialized, .enabled(if: GitTestRepository.available, "needs git (Debian package git)"))
struct DeployEndToEndTests {
    static let www: DomainName = "www.fleet.test."

    static func zone(_ address: String, serial: Int) -> String {
        """
        $ORIGIN fleet.test.
        $TTL 60
        @   IN SOA ns hostmaster \(serial) 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        www IN A   \(address)
        """
    }

    /// A repository with two commits: www is 192.0.2.1, then 192.0.2.2.
    static func repository() async throws -> (GitTestRepository, first: String, second: String) {
        let repo = try await GitTestRepository()
        try repo.write("zones/fleet.test.zone", zone("192.0.2.1", serial: 1))
        let first = try await repo.commit("first")
        try repo.write("zones/fleet.test.zone", zone("192.0.2.2", serial: 2))
        let second = try await repo.commit("second")
        return (repo, first, second)
    }

    @Test func oneServerServesTheDeployedCommitWhenTheCommandReturns() async throws {
        let (repo, first, second) = try await Self.repository()
        defer { repo.remove() }
        let folder = try TemporaryFolder(prefix: "deploy")
        defer { folder.remove() }
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("fleet.test.", .soa), extraArguments: ["--git", repo.path])
        defer { sy.stop() }
        #expect(sy.addresses(Self.www) == ["192.0.2.2"])

        let deployed = try await sy.client(["deploy", String(first.prefix(8)), "--wait", "--timeout", "10s"])
        #expect(deployed.status == 0, "\(deployed.stderr)")
        #expect(deployed.stdout.contains("serving \(first)") && deployed.stdout.contains("every instance serves \(first)"), "\(deployed.stdout)")
        #expect(sy.addresses(Self.www) == ["192.0.2.1"])
        let zones = await AdminHTTP.get(port: sy.adminPort, path: "/v1/zones")
        #expect(zones?.body.contains("\"commit\":\"\(first)\"") == true, "\(zones?.body ?? "")")

        let unknown = try await sy.client(["deploy", "no-such-branch"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no-such-branch") && unknown.stderr.contains("HTTP 422"), "\(unknown.stderr)")
        #expect(sy.addresses(Self.www) == ["192.0.2.1"])

        let back = try await sy.client(["deploy", second])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(sy.addresses(Self.www) == ["192.0.2.2"])

        // A commit that exists but does not load: exit 1, the error names it, and the
        // previous version keeps serving.
        try repo.write("zones/fleet.test.zone", Self.zone("192.0.2.3", serial: 3) + "bad IN A not-an-address\n")
        let broken = try await repo.commit("broken")
        let failed = try await sy.client(["deploy", broken])
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("\(broken.prefix(7)):zones/fleet.test.zone:") && failed.stdout.contains("did not load"),
                "\(failed.stdout)")
        #expect(sy.addresses(Self.www) == ["192.0.2.2"])
    }

    @Test func aServerOfFoldersRefusesADeployNamingWhy() async throws {
        let folder = try TemporaryFolder(prefix: "deploy-folder")
        defer { folder.remove() }
        try folder.writeZone(Self.zone("192.0.2.1", serial: 1), as: "fleet.test.zone")
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("fleet.test.", .soa))
        defer { sy.stop() }
        let refused = try await sy.client(["deploy", "HEAD"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("HTTP 409") && refused.stderr.contains("serve --git"), "\(refused.stderr)")
    }
}

extension EtcdBackedSuites {
    @Suite(.enabled(if: GitTestRepository.available, "needs git (Debian package git)"))
    struct FleetDeployEndToEndTests {
        @Test func deployWaitMovesEveryInstanceAndNamesThoseThatCannotFollow() async throws {
            let (origin, first, _) = try await DeployEndToEndTests.repository()
            defer { origin.remove() }
            // Each instance serves its own clone of the repository.
            var clones: [TemporaryFolder] = []
            defer { for clone in clones { clone.remove() } }
            for _ in 0..<3 {
                let clone = try TemporaryFolder(prefix: "clone")
                clones.append(clone)
                try await origin.run(["clone", "-q", origin.path, clone.file("repo").path])
            }
            let fleet = try await FleetUnderTest.start(zones: [DeployEndToEndTests.zone("192.0.2.9", serial: 9)], origin: "fleet.test.",
                                                       name: DeployEndToEndTests.www, extra: { ["--git", clones[$0].file("repo").path] })
            defer { fleet.stop() }
            #expect(await fleet.flipTimes(to: ["192.0.2.2"], within: .seconds(5)).allSatisfy { $0 != nil })

            let deployed = try await fleet.instances[0].client(["deploy", first, "--wait", "--timeout", "15s"])
            #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)")
            #expect(deployed.stdout.contains("every instance serves \(first)"), "\(deployed.stdout)")
            #expect(await fleet.flipTimes(to: ["192.0.2.1"], within: .seconds(2)).allSatisfy { $0 != nil })

            // A commit only ns1's clone has: ns2 and ns3 cannot load it and are named.
            let ns1 = GitTestRepository(existing: clones[0].file("repo").path)
            try ns1.write("zones/fleet.test.zone", DeployEndToEndTests.zone("192.0.2.3", serial: 3))
            let third = try await ns1.commit("only in ns1")
            let partial = try await fleet.instances[0].client(["deploy", third, "--wait", "--timeout", "3s"])
            #expect(partial.status != 0)
            #expect(partial.stdout.contains("still pending") && partial.stdout.contains("ns2") && partial.stdout.contains("ns3")
                    && !partial.stdout.contains("ns1 ("), "\(partial.stdout)")
            #expect(fleet.instances[0].addresses(DeployEndToEndTests.www) == ["192.0.2.3"])
            #expect(fleet.instances[1].addresses(DeployEndToEndTests.www) == ["192.0.2.1"])
        }
    }
}
