import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One long-lived `git cat-file --batch` for a load: every blob of the commit (zone files
/// and includes) is read through it, so a load of many files starts one process, not one
/// per file. It is killed at the load's deadline.
final class GitBlobReader {
    let process: Process
    let input: FileHandle
    let output: Int32
    let watchdog: DispatchWorkItem
    let deadline: ContinuousClock.Instant
    var pending: [UInt8] = []
    var pendingStart = 0

    init(git: GitCommand, deadline: ContinuousClock.Instant) throws(GitCommand.Failure) {
        _ = GitBlobReader.brokenPipesIgnored
        let process = git.process(["cat-file", "--batch"])
        let toGit = Pipe(), fromGit = Pipe()
        process.standardInput = toGit
        process.standardOutput = fromGit
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw GitCommand.Failure("cannot run git cat-file: \(error.localizedDescription)") }
        self.process = process
        self.input = toGit.fileHandleForWriting
        self.output = fromGit.fileHandleForReading.fileDescriptor
        self.deadline = deadline
        self.watchdog = GitCommand.watchdog(process, deadline: deadline)
    }

    /// A cat-file killed at the deadline closes its input: writing to it must give an error,
    /// not end the process with SIGPIPE. Set once, the first time git is read this way
    /// (NIO's sockets never raise it, so the server loses nothing by it).
    static let brokenPipesIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// The bytes of blob `object`, which `ls-tree` said holds `size` bytes.
    func read(_ object: String, size: Int) throws(GitCommand.Failure) -> [UInt8] {
        do { try input.write(contentsOf: Array("\(object)\n".utf8)) } catch { throw stopped() }
        guard let header = try line() else { throw stopped() }
        let fields = header.split(separator: " ")
        guard fields.count == 3, fields[1] == "blob", Int(fields[2]) == size else {
            throw GitCommand.Failure("git cat-file answered '\(header)' for blob \(object)")
        }
        let bytes = try take(size)
        _ = try take(1)
        return bytes
    }

    func stopped() -> GitCommand.Failure {
        ContinuousClock.now >= deadline
            ? GitCommand.Failure("git cat-file did not answer in time and was stopped")
            : GitCommand.Failure("git cat-file stopped answering")
    }

    func line() throws(GitCommand.Failure) -> String? {
        while true {
            if let newline = pending[pendingStart...].firstIndex(of: UInt8(ascii: "\n")) {
                let text = String(decoding: pending[pendingStart..<newline], as: UTF8.self)
                pendingStart = newline + 1
                return text
            }
            guard try fill() else { return nil }
        }
    }

    func take(_ count: Int) throws(GitCommand.Failure) -> [UInt8] {
        while pending.count - pendingStart < count {
            guard try fill() else { throw stopped() }
        }
        let bytes = Array(pending[pendingStart..<pendingStart + count])
        pendingStart += count
        return bytes
    }

    /// Reads what git has written so far; false at the end of its output.
    func fill() throws(GitCommand.Failure) -> Bool {
        if pendingStart > 0 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress, $0.count) }
            if n > 0 {
                pending += chunk[0..<n]
                return true
            }
            if n == 0 { return false }
            if errno != EINTR { throw GitCommand.Failure("cannot read from git cat-file: \(String(cString: strerror(errno)))") }
        }
    }

    /// Ends the process: closing its input lets it exit; the watchdog is the backstop.
    func close() {
        try? input.close()
        process.waitUntilExit()
        watchdog.cancel()
    }
}
