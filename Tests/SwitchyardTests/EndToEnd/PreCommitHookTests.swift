import Foundation
import Testing

/// The README's pre-commit hook (`Examples/git-hooks/pre-commit`) checks what is staged,
/// not the work tree, and names the broken file as the repository does.
@Suite(.enabled(if: ExternalTool.find("git") != nil, "git is not installed (Debian package git)"),
       .enabled(if: ExternalTool.find("bash") != nil, "bash is not installed"))
struct PreCommitHookTests {
    static let hook = RepositoryLayout.root.appendingPathComponent("Examples/git-hooks/pre-commit").path

    func run(_ arguments: [String], in folder: TemporaryFolder) async throws -> ExternalTool.Result {
        try await ExternalTool.run(try #require(ExternalTool.find("env")), arguments, in: folder.url)
    }

    @Test func aBrokenStagedZoneIsRefusedWhateverTheWorkTreeHolds() async throws {
        let switchyard = try #require(RepositoryLayout.switchyard)
        let git = try #require(ExternalTool.find("git"))
        let repo = try TemporaryFolder(prefix: "hook")
        defer { repo.remove() }
        try FileManager.default.createDirectory(at: repo.file("zones"), withIntermediateDirectories: true)
        let good = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("zones/drill.test.zone"), encoding: .utf8)
        try good.write(to: repo.file("zones/drill.test.zone"), atomically: true, encoding: .utf8)
        #expect(try await run([git, "init", "-q"], in: repo).status == 0)
        #expect(try await run([git, "add", "zones"], in: repo).status == 0)
        let hook = ["SWITCHYARD=\(switchyard)", "bash", Self.hook]
        let accepted = try await run(hook, in: repo)
        #expect(accepted.status == 0, "\(accepted.stderr)")

        // Stage a broken line, then put the good file back in the work tree only.
        try (good + "broken line here\n").write(to: repo.file("zones/drill.test.zone"), atomically: true, encoding: .utf8)
        #expect(try await run([git, "add", "zones"], in: repo).status == 0)
        try good.write(to: repo.file("zones/drill.test.zone"), atomically: true, encoding: .utf8)
        let refused = try await run(hook, in: repo)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("zones/drill.test.zone:\(good.split(separator: "\n", omittingEmptySubsequences: false).count):"),
                "\(refused.stderr)")
    }
}
