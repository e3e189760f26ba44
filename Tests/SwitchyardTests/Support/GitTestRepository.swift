import Foundation

/// A throwaway git repository for tests: files written into its work tree, commits made
/// with a fixed author, all through the `git` command (Debian package git).
struct GitTestRepository {
    static let git = ExternalTool.find("git")
    static var available: Bool { git != nil }

    let folder: TemporaryFolder
    var path: String { folder.url.path }

    init() async throws {
        folder = try TemporaryFolder(prefix: "git")
        try await run(["init", "-q"])
        try await run(["symbolic-ref", "HEAD", "refs/heads/main"])
    }

    /// A repository that exists already (a clone in a folder the test owns).
    init(existing path: String) {
        folder = TemporaryFolder(existing: URL(fileURLWithPath: path))
    }

    func remove() { folder.remove() }

    func write(_ file: String, _ text: String) throws {
        let url = folder.file(file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Runs git in the repository; a failing command fails the test with git's message.
    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        guard let git = Self.git else { throw Failure("git is not installed") }
        let result = try await ExternalTool.run(git, ["-C", path] + arguments)
        guard result.status == 0 else { throw Failure("git \(arguments.joined(separator: " ")): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits everything in the work tree; returns the new commit's id.
    @discardableResult
    func commit(_ message: String) async throws -> String {
        try await run(["add", "-A"])
        try await run(["-c", "user.email=test@example.test", "-c", "user.name=Test", "-c", "commit.gpgsign=false",
                       "commit", "-q", "-m", message])
        return try await run(["rev-parse", "HEAD"])
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
