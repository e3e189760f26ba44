import Foundation
import HealthChecks
import NIOPosix
import Testing
import ZoneFile
import Zones

/// HTTPS probes against a real TLS endpoint on loopback: a self-signed certificate is
/// accepted (Route 53 does not validate), and `host=` is sent as SNI and as Host.
@Suite struct HTTPSProbeTests {
    static let openssl = ExternalTool.find("openssl")
    static let python = ExternalTool.find("python3")

    @Test(.enabled(if: HTTPSProbeTests.openssl != nil && HTTPSProbeTests.python != nil, "openssl (Debian package openssl) or python3 is missing"))
    func httpsProbesSendTheHostAsSNIAndSkipCertificateChecks() async throws {
        let folder = try TemporaryFolder(prefix: "tls")
        defer { folder.remove() }
        let cert = folder.file("cert.pem").path, key = folder.file("key.pem").path, log = folder.file("requests.log").path
        let made = try await ExternalTool.run(Self.openssl!, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                                              "-subj", "/CN=self-signed.invalid", "-keyout", key, "-out", cert])
        #expect(made.status == 0, "\(made.stderr)")
        let backend = try ChildProcess(executable: Self.python!, arguments: [RepositoryLayout.fixture("tls/https_backend.py").path,
                                                                            "127.0.0.41", cert, key, log],
                                       stdout: folder.file("backend.out"), stderr: folder.file("backend.err"))
        defer { backend.stop() }
        // The backend prints its port when it listens.
        let port = await SwitchyardProcess.poll(within: .seconds(10)) {
            Int(((try? String(contentsOfFile: folder.file("backend.out").path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) != nil
        }
        #expect(port != nil, "the HTTPS backend did not start: \(backend.output)")
        let portNumber = Int((try String(contentsOfFile: folder.file("backend.out").path, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))!

        var check = HealthCheckDefinition(id: "tls", target: .https(host: "127.0.0.41", port: portNumber, path: "/health"),
                                          location: SourceLocation(file: "t", line: 1, column: 1))
        check.hostHeader = "app.example.test"
        check.match = "OK"
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        let result = await prober.probe(check)
        await prober.shutdown()
        try await group.shutdownGracefully()
        #expect(result.passed, "\(result.reason)")
        let requests = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(requests.contains("sni=app.example.test host=app.example.test"), "requests seen: \(requests)")
    }
}
