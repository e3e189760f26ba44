import ArgumentParser
import Authority
import DNSServer
import DNSWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import Routing
import ServiceLifecycle
import Zones

/// `switchyard serve`: answer DNS for the zones in the given folders.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the zones in the given files or folders over UDP and TCP.",
        discussion: """
            Loads every *.zone file in the given files or folders (default: zones) and
            answers for them. A zone that fails to load is reported and left out; the
            others are served.

            Examples:
              switchyard serve zones/
              switchyard serve zones/ --listen 127.0.0.1:5300 --listen [::1]:5300
              dig @127.0.0.1 -p 5300 www.drill.test A
            """)

    @Argument(help: "Zone files or folders of *.zone files.")
    var zones: [String] = ["zones"]

    @Option(name: .long, help: ArgumentHelp("Address and port to answer DNS on (repeatable).", valueName: "addr:port"))
    var listen: [String] = ["127.0.0.1:5300"]

    @Option(name: .long, help: ArgumentHelp("Admin API address, or 'off'.", valueName: "addr:port"))
    var admin: String = "127.0.0.1:5380"

    @Option(name: .long, help: "Event loop threads (default: one per CPU core).")
    var threads: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        for address in listen { _ = try ListenAddress.parse(address) }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "switchyard")
        let reports: [ZoneFileReport]
        do {
            reports = try ZoneSetLoader(directory: ZoneDirectory(paths: zones)).load()
        } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
        for report in reports {
            for diagnostic in report.diagnostics {
                logger.log(level: diagnostic.severity == .error ? .error : .warning, "\(diagnostic)")
            }
        }
        let loaded = reports.compactMap(\.zone)
        guard !loaded.isEmpty else {
            logger.critical("no zone could be loaded from \(zones.joined(separator: " "))")
            throw ExitCode(1)
        }
        let zoneSet = ZoneSet(zones: loaded)
        let store = ZoneStore(zoneSet)
        let threadCount = threads ?? System.coreCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threadCount)
        let engine = QueryEngine(authority: Authority(), zones: store)
        var configuration = DNSServer.Configuration(listen: try listen.map { try ListenAddress.parse($0) })
        configuration.udpSocketsPerAddress = threadCount
        let server = DNSServer(configuration: configuration, engine: engine, group: group, logger: logger)
        do {
            try await server.start()
        } catch {
            logger.critical("\(error)")
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        logger.info("serving \(loaded.count) zone(s), \(zoneSet.recordCount) records, \(zoneSet.healthChecks.count) health check(s) on \(listen.joined(separator: ", ")) (UDP and TCP), \(threadCount) thread(s)")
        let services = ServiceGroup(configuration: .init(
            services: [.init(service: server)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await services.run()
        try await group.shutdownGracefully()
    }
}

/// `ADDR:PORT` as given to `--listen`: IPv4 `127.0.0.1:5300`, IPv6 `[::1]:5300`.
enum ListenAddress {
    static func parse(_ text: String) throws -> (host: String, port: Int) {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ValidationError("'\(text)' is not ADDR:PORT (IPv6 as [::1]:5300)")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ValidationError("'\(text)' is not ADDR:PORT") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard IPAddress(host) != nil else { throw ValidationError("'\(host)' in '\(text)' is not an IP address") }
        guard let port = Int(portText), (0...65535).contains(port) else { throw ValidationError("bad port in '\(text)'") }
        return (String(host), port)
    }
}
