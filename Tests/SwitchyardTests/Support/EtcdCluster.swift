import Etcd
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real etcd cluster of a few members on loopback, each with its own client and peer
/// port and its data in a fresh temporary folder, for tests of the fleet's shared state.
/// Elections are fast (50 ms heartbeats, 500 ms election timeout) so that killing the
/// leader costs a test about a second. Members are stopped by their pids; `shutdown()` (or
/// deinit) stops them all and removes the folder.
final class EtcdCluster: Sendable {
    struct Member: Sendable {
        var name: String
        var clientPort: UInt16
        var peerPort: UInt16
        var clientURL: String { "http://127.0.0.1:\(clientPort)" }
        var peerURL: String { "http://127.0.0.1:\(peerPort)" }
    }

    enum Failure: Error, CustomStringConvertible {
        case notStarted(String)
        case noLeader(String)

        var description: String {
            switch self {
            case .notStarted(let why), .noLeader(let why): return why
            }
        }
    }

    /// The cluster of the running suite, under `.sharedEtcdCluster`.
    @TaskLocal static var current: EtcdCluster?

    /// True when Debian's etcd-server is installed.
    static var isAvailable: Bool { executable != nil }

    static let executable: String? = ExternalTool.find("etcd")

    let folder: TemporaryFolder
    let members: [Member]
    private let token: String
    /// The running process of each member, nil while it is stopped.
    private let processes: Mutex<[ChildProcessBox?]>

    var clientURLs: [String] { members.map(\.clientURL) }

    private init(count: Int) throws {
        folder = try TemporaryFolder(prefix: "etcd")
        // Each pick is free when asked, but the kernel may offer a port again once closed.
        var ports: [UInt16] = []
        for _ in 0..<50 where ports.count < 2 * count {
            let port = try LoopbackPort.pick()
            if !ports.contains(port) { ports.append(port) }
        }
        guard ports.count == 2 * count else { throw Failure.notStarted("no \(2 * count) distinct free loopback ports") }
        members = (0..<count).map { Member(name: "m\($0)", clientPort: ports[2 * $0], peerPort: ports[2 * $0 + 1]) }
        token = "switchyard-test-\(UUID().uuidString.prefix(8))"
        processes = Mutex(Array(repeating: nil, count: count))
    }

    deinit { shutdown() }

    /// Starts `members` members and waits until every one reports itself healthy (a leader
    /// elected): about 1–2 s. A member that cannot bind its ports (taken meanwhile) fails
    /// the start, which is retried once on other ports.
    static func start(members: Int = 3) async throws -> EtcdCluster {
        var lastError: any Error = Failure.notStarted("etcd did not start")
        for _ in 0..<2 {
            let cluster = try EtcdCluster(count: members)
            do {
                for index in 0..<members { try cluster.launch(index, state: "new") }
                try await cluster.waitHealthy(timeout: .seconds(15))
                return cluster
            } catch {
                lastError = error
                cluster.shutdown()
            }
        }
        throw lastError
    }

    private func launch(_ index: Int, state: String) throws {
        guard let executable = Self.executable else { throw Failure.notStarted("etcd is not installed (Debian's etcd-server)") }
        let member = members[index]
        let cluster = members.map { "\($0.name)=\($0.peerURL)" }.joined(separator: ",")
        let arguments = [
            "--name", member.name, "--data-dir", folder.file(member.name).path,
            "--listen-client-urls", member.clientURL, "--advertise-client-urls", member.clientURL,
            "--listen-peer-urls", member.peerURL, "--initial-advertise-peer-urls", member.peerURL,
            "--initial-cluster", cluster, "--initial-cluster-token", token, "--initial-cluster-state", state,
            "--heartbeat-interval", "50", "--election-timeout", "500",
            "--logger", "zap", "--log-level", "error", "--log-outputs", folder.file("\(member.name).log").path,
        ]
        let child = try ChildProcess(executable: executable, arguments: arguments, directory: folder.url,
                                     stdout: folder.file("\(member.name).out"), stderr: folder.file("\(member.name).err"))
        processes.withLock { $0[index] = ChildProcessBox(child) }
    }

    /// The indices of the members running now.
    var running: [Int] {
        processes.withLock { list in list.indices.filter { list[$0]?.child.isRunning == true } }
    }

    /// Kills member `index` with SIGKILL (no chance to step down or flush) and waits for it
    /// to exit.
    func kill(_ index: Int) {
        guard let box = processes.withLock({ processes -> ChildProcessBox? in
            defer { processes[index] = nil }
            return processes[index]
        }) else { return }
        if box.child.isRunning {
            sendSignal(SIGKILL, to: box.child.pid)
            box.child.waitForExit(timeout: .seconds(5))
        }
    }

    /// Freezes member `index` (SIGSTOP): its ports still accept connections, but nothing
    /// answers, as with a hung machine. `resume` or `kill` ends it.
    func pause(_ index: Int) {
        guard let box = processes.withLock({ $0[index] }), box.child.isRunning else { return }
        sendSignal(SIGSTOP, to: box.child.pid)
    }

    /// Lets a paused member run again (SIGCONT).
    func resume(_ index: Int) {
        guard let box = processes.withLock({ $0[index] }), box.child.isRunning else { return }
        sendSignal(SIGCONT, to: box.child.pid)
    }

    /// Kills every member.
    func stopAll() {
        for index in members.indices { kill(index) }
    }

    /// Starts member `index` again on its data folder and ports, and waits until its client
    /// port accepts connections (not for health: a lone member of a stopped cluster has no
    /// quorum until others return).
    func restart(_ index: Int) async throws {
        kill(index)
        try launch(index, state: "existing")
        let port = members[index].clientPort
        let ready = await SwitchyardProcess.poll(within: .seconds(10)) { Self.accepts(port: port) }
        guard ready != nil else { throw Failure.notStarted("etcd member \(index) did not listen on \(port) within 10 s:\n\(log(index))") }
    }

    /// Starts every stopped member again and waits until the cluster is healthy.
    func restartAll() async throws {
        for index in members.indices where !running.contains(index) { try launch(index, state: "existing") }
        try await waitHealthy(timeout: .seconds(15))
    }

    /// Waits until every running member answers `/health` with `{"health":"true"}` (it
    /// knows a leader), up to `timeout`; fails at once when a member has exited.
    func waitHealthy(timeout: Duration) async throws {
        let ports = running.map { members[$0].clientPort }
        let watched = processes.withLock { $0.compactMap { $0 } }
        let healthy = await SwitchyardProcess.poll(within: timeout) {
            if watched.contains(where: { !$0.child.isRunning }) { return true }
            return ports.allSatisfy { Self.healthy(port: $0) }
        }
        if let exited = members.indices.first(where: { index in processes.withLock { $0[index].map { !$0.child.isRunning } ?? false } }) {
            throw Failure.notStarted("etcd member \(exited) exited:\n\(log(exited))")
        }
        guard healthy != nil else { throw Failure.notStarted("etcd not healthy within \(timeout):\n\(members.indices.map(log).joined(separator: "\n"))") }
    }

    /// The index of the member the others follow, asked of every running member through
    /// `memberStatus`; retried every 50 ms for up to 5 s while an election runs.
    func leaderIndex() async throws -> Int {
        let client = EtcdClient(endpoints: clientURLs, requestTimeout: .milliseconds(500))
        do {
            let index = try await leaderIndex(asking: client)
            await client.shutdown()
            return index
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private func leaderIndex(asking client: EtcdClient) async throws -> Int {
        var last = "no member answered"
        for _ in 0..<100 {
            var ids: [UInt64: Int] = [:]
            var leaders: Set<UInt64> = []
            for index in running {
                guard let status = try? await client.memberStatus(endpoint: members[index].clientURL) else { continue }
                ids[status.memberID] = index
                if status.leaderID != 0 { leaders.insert(status.leaderID) }
            }
            if leaders.count == 1, let leader = leaders.first, let index = ids[leader] { return index }
            last = "members \(ids.values.sorted()) follow \(leaders.sorted())"
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure.noLeader("no single leader among the running members within 5 s: \(last)")
    }

    /// Kills every member and removes the folder.
    func shutdown() {
        stopAll()
        folder.remove()
    }

    /// What member `index` logged (errors only).
    func log(_ index: Int) -> String {
        let name = members[index].name
        let text = ["log", "err", "out"].compactMap { try? String(contentsOf: folder.file("\(name).\($0)"), encoding: .utf8) }
            .filter { !$0.isEmpty }.joined(separator: "\n")
        return "\(name): \(text.suffix(2000))"
    }

    static func accepts(port: UInt16) -> Bool {
        guard let socket = try? LoopbackSocket(udp: false) else { return false }
        defer { socket.close() }
        socket.setTimeout(.milliseconds(200))
        return (try? socket.connect(port: port)) != nil
    }

    /// One `GET /health`: true when the member knows a leader. A starting member accepts
    /// connections before it serves them, so the probe gives up quickly and is repeated.
    static func healthy(port: UInt16) -> Bool {
        get("/health", port: port, timeout: .milliseconds(100))?.contains(#""health":"true""#) ?? false
    }

    /// How many watchers member `index` serves now (its `etcd_debugging_mvcc_watcher_total`
    /// gauge), nil when it does not answer. Blocks the calling thread for a moment.
    func watcherCount(_ index: Int) -> Int? {
        metric("etcd_debugging_mvcc_watcher_total", of: index)
    }

    /// How many files and sockets member `index` holds open (`process_open_fds`): a client
    /// that leaves connections open shows up here.
    func openDescriptors(_ index: Int) -> Int? {
        metric("process_open_fds", of: index)
    }

    /// A gauge of member `index`'s `/metrics`, nil when it does not answer.
    func metric(_ name: String, of index: Int) -> Int? {
        guard let metrics = Self.get("/metrics", port: members[index].clientPort) else { return nil }
        let prefix = name + " "
        guard let line = metrics.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return Double(line.dropFirst(prefix.count)).map { Int($0) }
    }

    /// The body of an HTTP/1.0 GET of `path`, read to the end (bounded to 4 MB; each read
    /// to `timeout`); nil unless the status is 200.
    static func get(_ path: String, port: UInt16, timeout: Duration = .milliseconds(500)) -> String? {
        guard let socket = try? LoopbackSocket(udp: false) else { return nil }
        defer { socket.close() }
        socket.setTimeout(timeout)
        guard (try? socket.connect(port: port)) != nil,
              (try? socket.sendAll(Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8))) != nil else { return nil }
        var reply: [UInt8] = []
        while reply.count < 4 << 20 {
            guard let part = try? socket.receive(upTo: 65536), !part.isEmpty else { break }
            reply += part
        }
        let text = String(decoding: reply, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 200") || text.hasPrefix("HTTP/1.0 200"), let split = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[split.upperBound...])
    }
}

/// A suite trait that starts one cluster for all the tests of a suite, as
/// `EtcdCluster.current` inside them, and stops it after the last: for tests that leave
/// the members running and keep to their own keys, so they need not pay for a start each.
struct SharedEtcdCluster: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let cluster = try await EtcdCluster.start()
        defer { cluster.shutdown() }
        try await EtcdCluster.$current.withValue(cluster) { try await function() }
    }
}

extension Trait where Self == SharedEtcdCluster {
    static var sharedEtcdCluster: Self { Self() }
}

private func sendSignal(_ signal: Int32, to pid: pid_t) {
    _ = kill(pid, signal)
}

/// A `ChildProcess` handed between threads; it is only read (pid, running) and stopped.
final class ChildProcessBox: @unchecked Sendable {
    let child: ChildProcess
    init(_ child: ChildProcess) { self.child = child }
}

/// The suites that run real etcd clusters and fleets, nested here so they run one at a
/// time: each starts several processes, and their time-bound checks (a flip within 1 s)
/// must not compete with one another for the two cores CI has.
@Suite(.serialized) enum EtcdBackedSuites {}
