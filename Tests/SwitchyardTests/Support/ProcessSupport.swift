import DNSWire
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Support for tests that run real processes — the `switchyard` binary, reference servers
// and client tools — and talk to them over loopback UDP and TCP. Every wait here is bounded
// in tries and time, and every process started is stopped by its pid.

/// Where things are in the repository and the build.
enum RepositoryLayout {
    /// The repository root, found from this file's path (Tests/SwitchyardTests/Support/).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ path: String) -> URL {
        root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(path)
    }

    /// The `switchyard` executable of this build: next to the running test binary (the
    /// same configuration), else in `.build/debug`, else built once with
    /// `swift build --product switchyard` (bounded to ten minutes). `swift test` builds
    /// every product before it runs the tests, so the build here is only a fallback for a
    /// test binary run on its own. Nil when none can be had.
    static let switchyard: String? = {
        var candidates: [String] = []
        if let running = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent("switchyard").path)
        }
        candidates.append(root.appendingPathComponent(".build/debug/switchyard").path)
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        guard let swift = ExternalTool.find("swift") else { return nil }
        let build = try? ExternalTool.run(swift, ["build", "--product", "switchyard"], in: root, timeout: .seconds(600))
        guard build?.status == 0 else { return nil }
        return candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    }()
}

/// Programs outside the package that some tests need, found on PATH (and in the sbin
/// folders, where Debian installs daemons).
enum ExternalTool {
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    enum Failure: Error, CustomStringConvertible {
        case timedOut(String)
        var description: String {
            switch self {
            case .timedOut(let command): return "\(command) did not finish in time and was killed"
            }
        }
    }

    /// Runs `executable` to completion (killed after `timeout`), output captured in files
    /// so a chatty child can never block on a full pipe. Blocks the calling thread: for
    /// one-off checks outside async tests.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                    timeout: Duration = .seconds(30)) throws -> Result {
        let run = try CapturedRun(executable, arguments, in: directory)
        return try run.result(finished: run.child.waitForExit(timeout: timeout))
    }

    /// The same for async tests: awaits the exit without holding a thread of the
    /// concurrency pool, which the tests running meanwhile need.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                    timeout: Duration = .seconds(30)) async throws -> Result {
        let run = try CapturedRun(executable, arguments, in: directory)
        return try run.result(finished: await run.child.exit(timeout: timeout))
    }
}

/// A command started with its output going to files in a scratch folder.
struct CapturedRun {
    let scratch: TemporaryFolder
    let child: ChildProcess
    let command: String

    init(_ executable: String, _ arguments: [String], in directory: URL?) throws {
        scratch = try TemporaryFolder(prefix: "run")
        command = ([executable] + arguments).joined(separator: " ")
        do {
            child = try ChildProcess(executable: executable, arguments: arguments, directory: directory,
                                     stdout: scratch.file("stdout"), stderr: scratch.file("stderr"))
        } catch {
            scratch.remove()
            throw error
        }
    }

    /// The exit status and output; a command that did not finish is stopped and reported.
    func result(finished: Bool) throws -> ExternalTool.Result {
        defer { scratch.remove() }
        if !finished { child.stop() }
        let stdout = (try? String(contentsOf: scratch.file("stdout"), encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: scratch.file("stderr"), encoding: .utf8)) ?? ""
        guard finished else { throw ExternalTool.Failure.timedOut(command) }
        return ExternalTool.Result(status: child.exitStatus, stdout: stdout, stderr: stderr)
    }
}

/// A folder under the system temporary directory, removed by `remove()`.
struct TemporaryFolder: Sendable {
    let url: URL

    init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A folder that exists already (removed by whoever made it).
    init(existing url: URL) {
        self.url = url
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` as `zones/NAME` in the folder (the zone folder tests serve), making
    /// the `zones` folder first.
    func writeZone(_ text: String, as name: String) throws {
        try FileManager.default.createDirectory(at: file("zones"), withIntermediateDirectories: true)
        try text.write(to: file("zones/" + name), atomically: true, encoding: .utf8)
    }
}

/// A child process that is stopped by its pid: SIGTERM, then SIGKILL if it has not gone
/// after a bound.
final class ChildProcess {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL
    /// Finishes when the process ends, so async code can await the exit instead of polling.
    let terminated: AsyncStream<Void>

    init(executable: String, arguments: [String], directory: URL? = nil, stdout: URL, stderr: URL) throws {
        stdoutURL = stdout
        stderrURL = stderr
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        terminated = stream
        process.terminationHandler = { _ in continuation.finish() }
        try process.run()
    }

    /// Awaits the end of the process, up to `timeout`, without holding a thread; true when
    /// it has ended.
    func exit(timeout: Duration) async -> Bool {
        let stream = terminated
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in stream {}
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    var pid: pid_t { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.isRunning ? -1 : process.terminationStatus }

    /// Polls for the process to end, up to `timeout`; true when it has.
    @discardableResult
    func waitForExit(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return false }
            usleep(20_000)
        }
        return true
    }

    /// SIGTERM, up to 5 s to exit, then SIGKILL and up to 5 s more.
    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        if waitForExit(timeout: .seconds(5)) { return }
        kill(pid, SIGKILL)
        waitForExit(timeout: .seconds(5))
    }

    /// What the process wrote to stderr and stdout so far (for failure messages).
    var output: String {
        let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        return [err, out].filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

/// A DNS server process under test, with the loopback port it answers on.
final class ServerUnderTest {
    let child: ChildProcess
    let port: UInt16
    let name: String

    enum Failure: Error, CustomStringConvertible {
        case notStarted(String)
        var description: String {
            switch self {
            case .notStarted(let why): return why
            }
        }
    }

    /// Starts the server on a free loopback port (`arguments` maps the port to the command
    /// line) and waits, suspending between probes, until it answers `probe` with a response
    /// `ready` accepts: up to 200 tries, 50 ms apart. A server that exits at once (its port
    /// taken meanwhile) is retried on another port, three times at most.
    static func start(name: String, executable: String, folder: TemporaryFolder,
                      probe: (name: DomainName, type: RecordType), ready: (Message) -> Bool = { _ in true },
                      arguments: (UInt16) throws -> [String]) async throws -> ServerUnderTest {
        var lastError = "\(name) did not start"
        for attempt in 0..<3 {
            let port = try LoopbackPort.pick()
            let child = try ChildProcess(
                executable: executable, arguments: try arguments(port), directory: folder.url,
                stdout: folder.file("\(name)-\(attempt).out"), stderr: folder.file("\(name)-\(attempt).err"))
            let query = Message.query(id: 0x5157, name: probe.name, type: probe.type)
            for _ in 0..<200 {
                guard child.isRunning else { break }
                if let reply = try? LoopbackDNS.exchange(query, port: port, transport: .udp, timeout: .milliseconds(50)), ready(reply.message) {
                    return ServerUnderTest(name: name, child: child, port: port)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            child.stop()
            lastError = "\(name) on 127.0.0.1:\(port) did not answer \(probe.name) \(probe.type) within 200 tries × 50 ms; its output:\n\(child.output)"
        }
        throw Failure.notStarted(lastError)
    }

    private init(name: String, child: ChildProcess, port: UInt16) {
        self.name = name
        self.child = child
        self.port = port
    }

    func stop() { child.stop() }
}

/// Picks loopback ports that are free for both UDP and TCP at the time of asking.
enum LoopbackPort {
    enum Failure: Error { case noFreePort }

    /// A port free for both UDP and TCP on 127.0.0.1, for a server a test starts. It is
    /// drawn at random below the kernel's ephemeral range (32768–60999 by default), which
    /// every outgoing connection takes its port from: a port picked there can be taken by
    /// some connect() before the server under test binds it.
    static func pick() throws -> UInt16 {
        for _ in 0..<200 {
            let port = UInt16.random(in: 20000...32000)
            let udp = try LoopbackSocket(udp: true)
            defer { udp.close() }
            guard udp.bind(port: port) else { continue }
            let tcp = try LoopbackSocket(udp: false)
            defer { tcp.close() }
            if tcp.bind(port: port) { return port }
        }
        return try pickEphemeral()
    }

    /// Any free port the kernel gives (the fallback when the low range is crowded).
    static func pickEphemeral() throws -> UInt16 {
        for _ in 0..<50 {
            let udp = try LoopbackSocket(udp: true)
            defer { udp.close() }
            guard udp.bind(port: 0), let port = udp.localPort else { continue }
            let tcp = try LoopbackSocket(udp: false)
            defer { tcp.close() }
            if tcp.bind(port: port) { return port }
        }
        throw Failure.noFreePort
    }
}

/// A plain IPv4 socket on 127.0.0.1 (blocking, with receive and send timeouts).
struct LoopbackSocket {
    let fd: Int32
    /// The address it connects to: 127.0.0.1 unless given (any loopback, IPv4 or IPv6).
    let host: String

    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        case timedOut
        case closed
        var description: String {
            switch self {
            case .system(let call, let code): return "\(call) failed: \(String(cString: strerror(code)))"
            case .timedOut: return "no answer in time"
            case .closed: return "connection closed by the server"
            }
        }
    }

    init(udp: Bool, host: String = "127.0.0.1") throws {
        #if canImport(Glibc)
        let kind = Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue)
        #else
        let kind = udp ? SOCK_DGRAM : SOCK_STREAM
        #endif
        self.host = host
        fd = socket(host.contains(":") ? AF_INET6 : AF_INET, kind, 0)
        guard fd >= 0 else { throw Failure.system("socket", errno) }
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    static func address(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    func bind(port: UInt16) -> Bool {
        var address = LoopbackSocket.address(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                #else
                Darwin.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                #endif
            }
        }
    }

    var localPort: UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return result == 0 ? UInt16(bigEndian: address.sin_port) : nil
    }

    func connect(port: UInt16) throws {
        let result: Int32
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { LoopbackSocket.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = LoopbackSocket.address(port: port)
            address.sin_addr.s_addr = inet_addr(host)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { LoopbackSocket.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard result == 0 else { throw Failure.system("connect", errno) }
    }

    static func connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.connect(fd, address, length)
        #else
        Darwin.connect(fd, address, length)
        #endif
    }

    func setTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        if value.tv_sec == 0 && value.tv_usec == 0 { value.tv_usec = 1000 }
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func sendAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard sent > 0 else { throw errno == EAGAIN ? Failure.timedOut : Failure.system("send", errno) }
            offset += sent
        }
    }

    /// One datagram, or up to `count` octets of a stream.
    func receive(upTo count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count, 0) }
        if received < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? Failure.timedOut : Failure.system("recv", errno) }
        if received == 0 && count > 0 { throw Failure.closed }
        return Array(buffer.prefix(received))
    }

    /// Exactly `count` octets of a stream (each read bounded by the socket's timeout).
    func receive(exactly count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count { bytes += try receive(upTo: count - bytes.count) }
        return bytes
    }
}

/// A minimal DNS client over loopback UDP and TCP, built on DNSWire's `Message`.
enum LoopbackDNS {
    enum Transport: String, Sendable {
        case udp
        case tcp
    }

    struct Reply {
        var bytes: [UInt8]
        var message: Message
    }

    /// Sends `query` to 127.0.0.1:`port` and returns the reply with the same id.
    static func exchange(_ query: Message, port: UInt16, transport: Transport, timeout: Duration = .seconds(2)) throws -> Reply {
        let bytes = Array(query.encode().readableBytesView)
        let reply = transport == .udp
            ? try udp(bytes, port: port, timeout: timeout)
            : try tcp([bytes], port: port, timeout: timeout)[0]
        return Reply(bytes: reply, message: try Message(decoding: ByteBuffer(bytes: reply)))
    }

    /// One request over UDP; datagrams with another id are skipped (ten at most).
    static func udp(_ request: [UInt8], port: UInt16, timeout: Duration) throws -> [UInt8] {
        let socket = try LoopbackSocket(udp: true)
        defer { socket.close() }
        socket.setTimeout(timeout)
        try socket.connect(port: port)
        try socket.sendAll(request)
        for _ in 0..<10 {
            let datagram = try socket.receive(upTo: 65535)
            if datagram.count >= 2 && datagram[0] == request[0] && datagram[1] == request[1] { return datagram }
        }
        throw LoopbackSocket.Failure.timedOut
    }

    /// Requests sent back to back on one TCP connection (RFC 7766 pipelining), each with
    /// its two-octet length; returns as many replies, in the order they came.
    static func tcp(_ requests: [[UInt8]], port: UInt16, timeout: Duration) throws -> [[UInt8]] {
        let socket = try LoopbackSocket(udp: false)
        defer { socket.close() }
        socket.setTimeout(timeout)
        try socket.connect(port: port)
        try socket.sendAll(requests.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 })
        var replies: [[UInt8]] = []
        for _ in requests {
            let length = try socket.receive(exactly: 2)
            replies.append(try socket.receive(exactly: Int(length[0]) << 8 | Int(length[1])))
        }
        return replies
    }
}
