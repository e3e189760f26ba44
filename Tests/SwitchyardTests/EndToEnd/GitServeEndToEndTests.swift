import DNSWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §7 against the built binary: `serve --git` answers from the commit (never the
/// work tree), shows it in `/v1/zones`, `/metrics` and the startup summary, follows the
/// ref with `--watch` within 2 s, and keeps the previous commit when a new one is broken.
@Suite(.serialized, .enabled(if: GitTestRepository.available, "needs git (Debian package git)"))
struct GitServeEndToEndTests {
    static func zone(_ address: String, serial: Int, extra: String = "") -> String {
        """
        $ORIGIN gitwatch.test.
        $TTL 60
        @   IN SOA ns hostmaster \(serial) 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        www IN A   \(address)
        \(extra)
        """
    }

    static func launch(_ repo: GitTestRepository, _ extra: [String]) async throws -> (TemporaryFolder, SwitchyardProcess) {
        let folder = try TemporaryFolder(prefix: "gitserve")
        do {
            return (folder, try await SwitchyardProcess.launch(folder: folder, probe: ("gitwatch.test.", .soa),
                                                               extraArguments: ["--git", repo.path] + extra))
        } catch {
            folder.remove()
            throw error
        }
    }

    @Test func watchServesANewCommitWithinTwoSecondsNeverTheWorkTreeAndKeepsTheLastGoodCommit() async throws {
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("zones/gitwatch.test.zone", Self.zone("192.0.2.1", serial: 1))
        let first = try await repo.commit("first")
        let (folder, sy) = try await Self.launch(repo, ["--watch"])
        defer { sy.stop(); folder.remove() }
        #expect(sy.addresses("www.gitwatch.test.") == ["192.0.2.1"])
        let zones = try #require(await AdminHTTP.get(port: sy.adminPort, path: "/v1/zones"))
        #expect(zones.body.contains("\"commit\":\"\(first)\""), "\(zones.body)")
        let metrics = try #require(await AdminHTTP.get(port: sy.adminPort, path: "/metrics"))
        #expect(metrics.body.contains("switchyard_zone_commit_info{zone=\"gitwatch.test.\",commit=\"\(first)\"} 1"))
        // The startup summary, not a zone's own load line, names the commit.
        let summary = sy.server.child.output.split(separator: "\n").first { $0.contains("serving 1 zone(s)") }
        #expect(summary?.contains("; zones from git \(repo.path) ") == true && summary?.hasSuffix("at commit \(first)") == true,
                "\(summary.map(String.init) ?? sy.server.child.output)")

        // Edited and staged, not committed: a reload still serves the commit.
        try repo.write("zones/gitwatch.test.zone", Self.zone("192.0.2.99", serial: 99))
        try await repo.run(["add", "-A"])
        let reload = try await sy.client(["reload"])
        #expect(reload.status == 0, "\(reload.stdout)\(reload.stderr)")
        #expect(reload.stdout.contains("(commit \(first))"))
        #expect(sy.addresses("www.gitwatch.test.") == ["192.0.2.1"])

        try repo.write("zones/gitwatch.test.zone", Self.zone("192.0.2.2", serial: 2))
        let second = try await repo.commit("second")
        let took = await sy.waitForAnswer("www.gitwatch.test.", ["192.0.2.2"], within: .seconds(5))
        print("serve --git --watch: new commit \(second.prefix(7)) answered after \(took.map { String(format: "%.3f s", $0.seconds) } ?? "never")")
        #expect(took != nil)
        #expect((took ?? .seconds(99)) <= .seconds(2))

        try repo.write("zones/gitwatch.test.zone", Self.zone("192.0.2.3", serial: 3, extra: "bad IN A nonsense"))
        let broken = try await repo.commit("broken")
        let failed = try await sy.client(["reload"])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("failed-kept-previous (commit \(broken))"), "\(failed.stdout)")
        #expect(failed.stdout.contains("\(broken.prefix(7)):zones/gitwatch.test.zone:7:"), "\(failed.stdout)")
        #expect(sy.addresses("www.gitwatch.test.") == ["192.0.2.2"])
        // JSON writes "/" as "\/".
        let after = try #require(await AdminHTTP.get(port: sy.adminPort, path: "/v1/zones")).body.replacingOccurrences(of: "\\/", with: "/")
        #expect(after.contains("\"commit\":\"\(second)\""), "\(after)")
        #expect(after.contains("\"lastError\":\"\(broken.prefix(7)):zones/gitwatch.test.zone:7:"), "\(after)")
    }

    @Test func anotherBranchAsRefIsServed() async throws {
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("dns/gitwatch.test.zone", Self.zone("192.0.2.1", serial: 1))
        try await repo.commit("main")
        try await repo.run(["checkout", "-q", "-b", "canary"])
        try repo.write("dns/gitwatch.test.zone", Self.zone("192.0.2.7", serial: 7))
        let canary = try await repo.commit("canary")
        try await repo.run(["checkout", "-q", "main"])
        let (folder, sy) = try await Self.launch(repo, ["--ref", "canary", "--git-path", "dns"])
        defer { sy.stop(); folder.remove() }
        #expect(sy.addresses("www.gitwatch.test.") == ["192.0.2.7"])
        let zones = try #require(await AdminHTTP.get(port: sy.adminPort, path: "/v1/zones"))
        #expect(zones.body.contains("\"commit\":\"\(canary)\""), "\(zones.body)")

        // Without --watch, `reload` follows the ref to its new commit.
        try await repo.run(["checkout", "-q", "canary"])
        try repo.write("dns/gitwatch.test.zone", Self.zone("192.0.2.8", serial: 8))
        let moved = try await repo.commit("canary moves")
        #expect(sy.addresses("www.gitwatch.test.") == ["192.0.2.7"])
        let reload = try await sy.client(["reload"])
        #expect(reload.status == 0, "\(reload.stdout)\(reload.stderr)")
        #expect(reload.stdout.contains("(commit \(moved))"), "\(reload.stdout)")
        #expect(sy.addresses("www.gitwatch.test.") == ["192.0.2.8"])
    }

    @Test func zoneFoldersAndGitTogetherAreRefused() async throws {
        let executable = try #require(RepositoryLayout.switchyard)
        let result = try await ExternalTool.run(executable, ["serve", "zones", "--git", "."])
        #expect(result.status != 0)
        #expect(result.stderr.contains("not both"), "\(result.stderr)")
    }
}
