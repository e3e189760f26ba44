import Foundation
import Testing

/// `switchyard check --git`: the same checks as on a folder, on a commit, with messages
/// naming COMMIT:path:line:column; a git that hangs is stopped at --git-timeout.
@Suite(.enabled(if: GitTestRepository.available, "needs git (Debian package git)"))
struct GitCheckCommandTests {
    @Test func checkReadsTheCommitAndNamesItInErrors() async throws {
        let executable = try #require(RepositoryLayout.switchyard)
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("zones/check.test.zone", """
            @ IN SOA ns hostmaster 1 3600 900 1209600 60
            @ IN NS ns
            ns IN A 127.0.0.1
            """)
        try await repo.commit("good")
        let good = try await ExternalTool.run(executable, ["check", "--git", repo.path])
        #expect(good.status == 0, "\(good.stderr)")
        try repo.write("zones/check.test.zone", "@ IN SOA ns hostmaster 2 3600 900 1209600 60\nbad IN A nonsense\n")
        // Not committed: check reads the commit, which is still good.
        #expect(try await ExternalTool.run(executable, ["check", "--git", repo.path]).status == 0)
        let broken = try await repo.commit("broken")
        let failed = try await ExternalTool.run(executable, ["check", "--git", repo.path, "--ref", "main"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("\(broken.prefix(7)):zones/check.test.zone:2:10: error:"), "\(failed.stderr)")
    }

    @Test func aGitThatHangsIsStoppedAtTheTimeoutWithAClearError() async throws {
        let executable = try #require(RepositoryLayout.switchyard)
        let bin = try TemporaryFolder(prefix: "hanging-git")
        defer { bin.remove() }
        // A wrapper script: its child `sleep` holds the output open after the script is
        // killed, unless the whole process group goes.
        try "#!/bin/sh\nsleep 60\necho never\n".write(to: bin.file("git"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.file("git").path)
        let path = bin.url.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let started = ContinuousClock.now
        let result = try await ExternalTool.run("/usr/bin/env", ["PATH=\(path)", executable, "check", "--git", bin.url.path,
                                                                 "--ref", "main", "--git-timeout", "1"], timeout: .seconds(40))
        let took = ContinuousClock.now - started
        #expect(result.status == 1)
        #expect(result.stderr.contains("git did not answer in time"), "\(result.stderr)")
        // Far below the 60 s the fake git would take (the bound is loose: a busy test pool
        // can be slow to resume this test).
        #expect(took < .seconds(30))
    }
}
