import DNSWire
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `switchyard serve` running in a temporary folder with its own DNS and admin
/// ports, and the client commands run against it.
final class SwitchyardProcess {
    let folder: TemporaryFolder
    let executable: String
    var server: ServerUnderTest
    let adminPort: UInt16
    let extraArguments: [String]
    let probe: (name: DomainName, type: RecordType)

    init(folder: TemporaryFolder, probe: (name: DomainName, type: RecordType), extraArguments: [String] = []) throws {
        guard let executable = RepositoryLayout.switchyard else { throw ServerUnderTest.Failure.notStarted("the switchyard binary could not be built") }
        self.folder = folder
        self.executable = executable
        self.probe = probe
        self.extraArguments = extraArguments
        adminPort = try LoopbackPort.pick()
        server = try SwitchyardProcess.start(executable: executable, folder: folder, adminPort: adminPort, probe: probe, extra: extraArguments)
    }

    static func start(executable: String, folder: TemporaryFolder, adminPort: UInt16, probe: (name: DomainName, type: RecordType),
                      extra: [String]) throws -> ServerUnderTest {
        try ServerUnderTest(name: "switchyard", executable: executable, folder: folder, probe: probe) { port in
            ["serve", folder.file("zones").path, "--listen", "127.0.0.1:\(port)", "--admin", "127.0.0.1:\(adminPort)",
             "--state-dir", folder.file("state").path, "--threads", "1"] + extra
        }
    }

    var admin: String { "http://127.0.0.1:\(adminPort)" }

    /// Kills the server with SIGKILL (no chance to save anything) and starts it again on
    /// the same folders.
    func killAndRestart() throws {
        kill(server.child.pid, SIGKILL)
        server.child.waitForExit(timeout: .seconds(5))
        server = try SwitchyardProcess.start(executable: executable, folder: folder, adminPort: adminPort, probe: probe, extra: extraArguments)
    }

    /// Runs a client command against this server's admin API.
    func client(_ arguments: [String]) throws -> ExternalTool.Result {
        try ExternalTool.run(executable, arguments + ["--admin", admin], in: folder.url)
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

    /// Polls (every 50 ms, up to `limit`) until the answer is `expected`; returns how long it took.
    func waitForAnswer(_ name: DomainName, _ expected: [String], within limit: Duration) -> Duration? {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < limit {
            if addresses(name) == expected { return ContinuousClock.now - started }
            usleep(50_000)
        }
        return nil
    }

    func stop() { server.stop() }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
