import DNSWire
import Foundation

/// Debian's `unbound` as a validating resolver on loopback, in the foreground: the zone
/// `zone` is a stub zone served by the switchyard on `serverPort`, trusted through the DS
/// record `keygen` printed. It forwards a client's ECS option to that server
/// (`subnetcache`). Its cache starts empty, so a fresh one sees the server's answers now.
final class UnboundResolver {
    static let executable = ExternalTool.find("unbound")

    let server: ServerUnderTest
    var port: UInt16 { server.port }

    private init(server: ServerUnderTest) { self.server = server }

    static func configuration(port: UInt16, folder: TemporaryFolder, zone: DomainName, serverPort: UInt16, trustAnchor: String) -> String {
        """
        server:
          interface: 127.0.0.1
          port: \(port)
          do-ip6: no
          do-daemonize: no
          username: ""
          chroot: ""
          pidfile: ""
          directory: "\(folder.url.path)"
          use-syslog: no
          logfile: ""
          verbosity: 1
          val-log-level: 2
          do-not-query-localhost: no
          local-zone: "test." nodefault
          trust-anchor: "\(trustAnchor)"
          module-config: "subnetcache validator iterator"
          send-client-subnet: 127.0.0.1
          max-client-subnet-ipv4: 24
          qname-minimisation: no
          aggressive-nsec: no
        stub-zone:
          name: "\(zone.presentation)"
          stub-addr: 127.0.0.1@\(serverPort)
        """
    }

    /// Starts unbound in `folder` and waits until it answers.
    static func start(folder: TemporaryFolder, zone: DomainName, serverPort: UInt16, trustAnchor: String) async throws -> UnboundResolver {
        guard let executable else { throw ServerUnderTest.Failure.notStarted("unbound is not installed") }
        let server = try await ServerUnderTest.start(name: "unbound", executable: executable, folder: folder, probe: (zone, .soa)) { port in
            let path = folder.file("unbound-\(port).conf").path
            try configuration(port: port, folder: folder, zone: zone, serverPort: serverPort, trustAnchor: trustAnchor)
                .write(toFile: path, atomically: true, encoding: .utf8)
            return ["-d", "-c", path]
        }
        return UnboundResolver(server: server)
    }

    /// A recursive DO query through the resolver (with ECS `subnet`, if given).
    func ask(_ name: DomainName, _ type: RecordType, subnet: String? = nil) throws -> Message {
        var options: [EDNSOption] = []
        if let subnet, let prefix = IPPrefix(subnet) {
            options.append(EDNSOption(clientSubnet: ClientSubnet(address: prefix.address, sourcePrefixLength: UInt8(prefix.length))))
        }
        let query = Message.query(id: UInt16.random(in: 1...0xFFFF), name: name, type: type, recursionDesired: true,
                                  edns: EDNS(udpPayloadSize: 1232, dnssecOK: true, options: options))
        return try LoopbackDNS.exchange(query, port: port, transport: .udp, timeout: .seconds(5)).message
    }

    func stop() { server.stop() }
}

extension Message {
    /// Whether the resolver validated the answer (AD).
    var authenticData: Bool { header.flags & Header.adMask != 0 }

    var addresses: [String] {
        answers.compactMap { if case .a(let a) = $0.rdata { return a.description } else { return nil } }.sorted()
    }
}
