import Foundation
import ZoneFile
import Zones

/// Zone files read from a commit of a git repository, never from its work tree: what is
/// served is exactly what some commit holds, and the commit says which. `ref` is followed
/// (a reload reads the commit it points at then); `$INCLUDE` resolves inside the same
/// commit and the same `directory`.
///
/// Git is read through the `git` command (`rev-parse`, `ls-tree`, one `cat-file --batch`
/// per load) rather than a library: git's own reader knows every object format, pack and
/// repository layout, and the package gains no dependency.
public struct GitZoneSource: ZoneSource {
    public let repository: String
    /// The ref followed: a full branch name (`refs/heads/main`), a tag, or a commit id.
    public let ref: String
    /// The folder of the commit's tree that holds the `*.zone` files ("" for the top).
    public let directory: String
    /// How long one load (or one look at the ref) may take before git is stopped.
    public let timeout: Duration
    let git: GitCommand

    /// Opens `repository`; `ref` nil follows the branch checked out there (or, on a
    /// detached HEAD, stays on HEAD's commit).
    public init(repository: String, ref: String?, directory: String = "zones", timeout: Duration = .seconds(30)) throws(ZoneSourceError) {
        do throws(GitCommand.Failure) { git = try GitCommand(repository: repository) } catch {
            throw ZoneSourceError(path: repository, message: error.message)
        }
        guard IncludePath.normalized(directory) != nil, !directory.hasPrefix("/") else {
            throw ZoneSourceError(path: repository, message: "--git-path '\(directory)' must be a folder inside the repository")
        }
        self.repository = repository
        self.directory = IncludePath.normalized(directory).map { $0.joined(separator: "/") } ?? directory
        self.timeout = timeout
        if let ref {
            guard !ref.hasPrefix("-"), !ref.isEmpty else {
                throw ZoneSourceError(path: repository, message: "'\(ref)' is not a ref")
            }
            self.ref = ref
        } else {
            // The branch is fixed at start: checking out another branch in the repository
            // later does not switch what is served.
            let deadline = ContinuousClock.now + timeout
            if let branch = try? git.run(["symbolic-ref", "-q", "HEAD"], deadline: deadline) {
                self.ref = String(decoding: branch, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                self.ref = try GitZoneSource.commit(named: "HEAD", version: nil, git: git, repository: repository, deadline: deadline)
            }
        }
    }

    /// The commit `version` (nil: the followed ref) names now.
    public func resolve(_ version: String?) throws(ZoneSourceError) -> String {
        try resolve(version, deadline: ContinuousClock.now + timeout)
    }

    func resolve(_ version: String?, deadline: ContinuousClock.Instant) throws(ZoneSourceError) -> String {
        try GitZoneSource.commit(named: version ?? ref, version: version, git: git, repository: repository, deadline: deadline)
    }

    static func commit(named name: String, version: String?, git: GitCommand, repository: String,
                       deadline: ContinuousClock.Instant) throws(ZoneSourceError) -> String {
        guard !name.hasPrefix("-") else { throw ZoneSourceError(path: repository, message: "'\(name)' is not a ref", version: version) }
        do throws(GitCommand.Failure) {
            let output = try git.run(["rev-parse", "--verify", "--quiet", name + "^{commit}"], deadline: deadline)
            let commit = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard commit.count >= 40, commit.allSatisfy(\.isHexDigit) else {
                throw GitCommand.Failure("git rev-parse answered '\(commit)'")
            }
            return commit
        } catch {
            let why = error.message.isEmpty || error.message.hasPrefix("exit status") ? "it names no commit" : error.message
            throw ZoneSourceError(path: repository, message: "cannot resolve '\(name)' to a commit: \(why)", version: version)
        }
    }

    public func withSnapshot<Result>(version: String?, limits: ZoneLimits,
                                     _ body: (ZoneSnapshot) -> Result) throws(ZoneSourceError) -> Result {
        let deadline = ContinuousClock.now + timeout
        let commit = try resolve(version, deadline: deadline)
        let short = String(commit.prefix(7))
        let tree: GitTree
        let reader: GitBlobReader
        do throws(GitCommand.Failure) {
            tree = try GitTree.list(git, commit: commit, directory: directory, deadline: deadline)
            reader = try GitBlobReader(git: git, deadline: deadline)
        } catch {
            throw ZoneSourceError(path: "\(repository)@\(short)", message: error.message, version: commit)
        }
        defer { reader.close() }
        let includes = GitIncludeSource(tree: tree, reader: reader, commit: commit, maximumBytes: limits.maximumBytes)
        let files = tree.zoneFiles.map { entry in
            ZoneSourceFile(path: entry.path, displayName: "\(short):\(entry.path)", identity: "\(commit):\(entry.path)",
                           contents: includes.contents(of: entry), includes: includes)
        }
        if files.isEmpty, tree.entries.isEmpty {
            throw ZoneSourceError(path: "\(short):\(directory.isEmpty ? "." : directory)",
                                  message: "commit \(short) has no folder '\(directory)' (--git-path)", version: commit)
        }
        return body(ZoneSnapshot(version: commit, files: files))
    }
}

/// `$INCLUDE` inside a commit: paths are relative to the zone folder (`--git-path`) and
/// must stay in it; the file is read from the same commit's tree, never from disk.
struct GitIncludeSource: ZoneFileSource {
    let tree: GitTree
    let reader: GitBlobReader
    let commit: String
    let maximumBytes: Int

    var short: String { String(commit.prefix(7)) }

    func include(_ path: String, from includingFile: String) throws(IncludeError) -> IncludedFile {
        let folder = tree.directory.isEmpty ? "the repository" : "the git path '\(tree.directory)'"
        guard !path.hasPrefix("/"), let components = IncludePath.normalized(path), !components.isEmpty else {
            throw IncludeError("$INCLUDE file '\(path)' is outside \(folder)")
        }
        let full = (tree.directory.isEmpty ? [] : [tree.directory]) + components.map(String.init)
        let treePath = full.joined(separator: "/")
        guard let entry = tree.entries[treePath] else {
            throw IncludeError("cannot open $INCLUDE file '\(path)': commit \(short) has no \(treePath)")
        }
        switch contents(of: entry) {
        case .bytes(let bytes):
            return IncludedFile(displayName: "\(short):\(treePath)", identity: "\(commit):\(treePath)", bytes: bytes)
        case .unreadable(let message):
            throw IncludeError("$INCLUDE file '\(path)': \(message)")
        }
    }

    /// A blob's bytes: a symlink, a submodule or a blob over the byte limit is refused
    /// before anything is read.
    func contents(of entry: GitTree.Entry) -> ZoneSourceFile.Contents {
        guard entry.kind == .file else {
            return .unreadable(entry.kind == .symlink
                ? "\(entry.path) is a symbolic link in commit \(short); links are not followed"
                : "\(entry.path) is not a file in commit \(short)")
        }
        guard entry.size <= maximumBytes else {
            return .unreadable("zone file of \(entry.size) bytes exceeds the limit of \(maximumBytes) bytes per zone (--max-zone-bytes)")
        }
        do throws(GitCommand.Failure) { return .bytes(try reader.read(entry.object, size: entry.size)) } catch {
            return .unreadable(error.message)
        }
    }
}
