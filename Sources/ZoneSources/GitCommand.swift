import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `git` program run against one repository, each run bounded by a deadline: a git
/// that hangs (a lock, a slow disk, a network filesystem) is killed and reported, never
/// waited on for ever.
struct GitCommand: Sendable {
    let executable: String
    let repository: String

    /// Why a git run gave no usable answer: a message fit for the user.
    struct Failure: Error, Sendable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    init(repository: String) throws(Failure) {
        guard let executable = GitCommand.find() else {
            throw Failure("git is not installed or not on PATH (it is needed to read zones from a repository)")
        }
        self.executable = executable
        self.repository = repository
    }

    static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin"]
        return folders.lazy.map { $0 + "/git" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A git process on the repository; its standard error goes to a pipe read at the end.
    func process(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-C", repository] + arguments
        var environment = ProcessInfo.processInfo.environment
        // Never ask for a password or take a lock just to read.
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        return process
    }

    /// Runs git to completion and returns its standard output; a non-zero exit gives the
    /// first line of its standard error.
    func run(_ arguments: [String], deadline: ContinuousClock.Instant) throws(Failure) -> [UInt8] {
        let process = process(arguments)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure("cannot run git: \(error.localizedDescription)") }
        let watchdog = GitCommand.watchdog(process, deadline: deadline)
        defer { watchdog.cancel() }
        let bytes = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if ContinuousClock.now >= deadline {
            throw Failure("git did not answer in time and was stopped (git \(arguments.joined(separator: " ")))")
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let first = message.split(separator: "\n").first.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw Failure(first)
        }
        return bytes
    }

    /// Kills `process` once `deadline` passes, unless cancelled first. Its whole process
    /// group goes (Foundation starts each child as the leader of its own group): a `git`
    /// that is a wrapper script, or a helper git started, would otherwise keep the pipes
    /// open and the read waiting after the child itself is gone.
    static func watchdog(_ process: Process, deadline: ContinuousClock.Instant) -> DispatchWorkItem {
        let pid = process.processIdentifier
        let item = DispatchWorkItem {
            if process.isRunning {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
        }
        let left = max(0, (deadline - ContinuousClock.now).seconds)
        DispatchQueue.global().asyncAfter(deadline: .now() + left, execute: item)
        return item
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
