import DNSWire
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `switchyard serve` running in a temporary folder with its own DNS and admin
/// ports, and the client commands run against it.
final class SwitchyardProcess: @unchecked Sendable {
    let folder: TemporaryFolder
    let executable: String
    var server: ServerUnderTest
    let adminPort: UInt16
    let extraArguments: [String]
    let probe: (name: DomainName, type: RecordType)

    private init(folder: TemporaryFolder, executable: String, server: ServerUnderTest, adminPort: UInt16,
                 probe: (name: DomainName, type: RecordType), extraArguments: [String]) {
        self.folder = folder
        self.executable = executable
        self.server = server
        self.adminPort = adminPort
        self.probe = probe
        self.extraArguments = extraArguments
    }

    /// Starts `switchyard serve` on `folder`/zones and waits until it answers `probe`.
    static func launch(folder: TemporaryFolder, probe: (name: DomainName, type: RecordType), extraArguments: [String] = []) async throws -> SwitchyardProcess {
        guard let executable = RepositoryLayout.switchyard else { throw ServerUnderTest.Failure.notStarted("the switchyard binary could not be built") }
        // The admin port is picked free, but another test may bind it before this server
        // does: the server then stops, and is started again on another.
        for attempt in 0..<3 {
            let adminPort = try LoopbackPort.pick()
            let server = try await start(executable: executable, folder: folder, adminPort: adminPort, probe: probe, extra: extraArguments)
            let process = SwitchyardProcess(folder: folder, executable: executable, server: server, adminPort: adminPort, probe: probe, extraArguments: extraArguments)
            do {
                try await process.waitForAdmin()
                return process
            } catch {
                process.stop()
                if attempt == 2 || server.child.isRunning { throw error }
            }
        }
        throw ServerUnderTest.Failure.notStarted("unreachable")
    }

    /// The admin API answers once every service runs (signal handlers included), so a
    /// test may send SIGHUP or SIGTERM from then on. Fails at once when the server stops.
    func waitForAdmin() async throws {
        let port = adminPort
        let box = ChildProcessBox(server.child)
        let ready = await Self.poll(within: .seconds(30)) { Self.healthz(port: port) || !box.child.isRunning }
        guard ready != nil, server.child.isRunning else {
            throw ServerUnderTest.Failure.notStarted("the admin API on 127.0.0.1:\(port) did not answer /healthz within 30 s (server running: \(server.child.isRunning)):\n\(server.child.output)")
        }
    }

    static func healthz(port: UInt16) -> Bool {
        guard let socket = try? LoopbackSocket(udp: false) else { return false }
        defer { socket.close() }
        socket.setTimeout(.milliseconds(500))
        guard (try? socket.connect(port: port)) != nil,
              (try? socket.sendAll(Array("GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8))) != nil,
              let reply = try? socket.receive(upTo: 64) else { return false }
        return String(decoding: reply, as: UTF8.self).hasPrefix("HTTP/1.1 200") || String(decoding: reply, as: UTF8.self).hasPrefix("HTTP/1.0 200")
    }

    static func start(executable: String, folder: TemporaryFolder, adminPort: UInt16, probe: (name: DomainName, type: RecordType),
                      extra: [String]) async throws -> ServerUnderTest {
        try await ServerUnderTest.start(name: "switchyard", executable: executable, folder: folder, probe: probe) { port in
            // With --git the zones come from the repository, not a folder argument.
            ["serve"] + (extra.contains("--git") ? [] : [folder.file("zones").path]) + ["--listen", "127.0.0.1:\(port)", "--admin", "127.0.0.1:\(adminPort)",
             "--state-dir", folder.file("state").path, "--threads", "1"] + extra
        }
    }

    var admin: String { "http://127.0.0.1:\(adminPort)" }

    /// Kills the server with SIGKILL (no chance to save anything) and starts it again on
    /// the same folders.
    func killAndRestart() async throws {
        kill(server.child.pid, SIGKILL)
        _ = await server.child.exit(timeout: .seconds(5))
        server = try await SwitchyardProcess.start(executable: executable, folder: folder, adminPort: adminPort, probe: probe, extra: extraArguments)
        try await waitForAdmin()
    }

    /// Runs a client command against this server's admin API.
    func client(_ arguments: [String]) async throws -> ExternalTool.Result {
        try await ExternalTool.run(executable, arguments + ["--admin", admin], in: folder.url)
    }

    /// The addresses in the answer to `name` A over UDP.
    func addresses(_ name: DomainName, subnet: String? = nil) -> [String] {
        var edns: EDNS? = nil
        if let subnet, let prefix = IPPrefix(subnet) {
            edns = EDNS(options: [EDNSOption(clientSubnet: ClientSubnet(address: prefix.address, sourcePrefixLength: UInt8(prefix.length)))])
        }
        let query = Message.query(id: UInt16.random(in: 1...0xFFFF), name: name, type: .a, edns: edns)
        guard let reply = try? LoopbackDNS.exchange(query, port: server.port, transport: .udp, timeout: .milliseconds(500)) else { return [] }
        return reply.message.answers.compactMap { if case .a(let a) = $0.rdata { return a.description } else { return nil } }.sorted()
    }

    /// Asks every 50 ms, up to `limit`, until the answer is `expected`; returns how long it
    /// took, or nil.
    func waitForAnswer(_ name: DomainName, _ expected: [String], within limit: Duration) async -> Duration? {
        await Self.poll(within: limit) { self.addresses(name) == expected }
    }

    /// Checks `condition` every 50 ms, up to `limit`, on a thread of its own: the time
    /// measured is the server's, not how long the test waited for a turn of the busy
    /// concurrency pool. Returns how long it took, or nil.
    static func poll(within limit: Duration, _ condition: @escaping @Sendable () -> Bool) async -> Duration? {
        await withCheckedContinuation { continuation in
            Thread {
                let started = ContinuousClock.now
                var took: Duration? = nil
                while ContinuousClock.now - started < limit {
                    if condition() {
                        took = ContinuousClock.now - started
                        break
                    }
                    usleep(50_000)
                }
                continuation.resume(returning: took)
            }.start()
        }
    }

    func stop() { server.stop() }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
