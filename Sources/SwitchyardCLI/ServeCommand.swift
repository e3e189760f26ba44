import AdminAPI
import ArgumentParser
import DNSSEC
import Authority
import DNSServer
import DNSWire
import Foundation
import HealthChecks
import Logging
import ZoneSources
import Metrics
import NIOCore
import NIOPosix
import Prometheus
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
            answers for them, runs their health checks, and serves the admin API. A zone
            that fails to load is reported and left out; the others are served. SIGHUP,
            `switchyard reload` or --watch reload the zones.

            With --git REPO the zone files are read from a commit (REF's, default the
            branch checked out in REPO), never from the work tree; $INCLUDE stays inside
            --git-path of the same commit. Reloads and --watch follow REF to its new
            commit; a commit that fails to load keeps the previous one serving.

            The admin API answers only requests addressed to it: Host must be its
            address or localhost (on 0.0.0.0 or ::, any IP address; never a name),
            Origin, when sent, its own http://HOST:PORT; writes with a body must be
            Content-Type: application/json. It holds at most --admin-max-connections
            connections and closes one whose request is not whole within
            --admin-request-timeout.

            Examples:
              switchyard serve zones/
              switchyard serve zones/ --listen 127.0.0.1:5300 --listen [::1]:5300 --watch
              switchyard serve --git /srv/dns-config --ref main --git-path zones --watch
              dig @127.0.0.1 -p 5300 www.drill.test A
            """)

    @OptionGroup var zoneSource: ZoneSourceOptions

    @Option(name: .long, help: ArgumentHelp("Address and port to answer DNS on (repeatable).", valueName: "addr:port"))
    var listen: [String] = ["127.0.0.1:5300"]

    @Option(name: .long, help: ArgumentHelp("Admin API address, or 'off'.", valueName: "addr:port"))
    var admin: String = "127.0.0.1:5380"

    @Option(name: .long, help: ArgumentHelp("File holding the bearer token the admin API requires for changes.", valueName: "file"))
    var adminTokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Admin API connections held at once; more are answered 503 and closed.", valueName: "n"))
    var adminMaxConnections: Int = AdminConnectionLimits.defaultMaxConnections

    @Option(name: .long, help: ArgumentHelp("Seconds a client has to send a whole admin request, from connecting or from the previous response; slower (or idle) connections are closed.", valueName: "seconds"))
    var adminRequestTimeout: Double = 10

    @Option(name: .long, help: ArgumentHelp("Folder for overrides and their history.", valueName: "dir"))
    var stateDir: String = ".switchyard"

    @Option(name: .long, help: ArgumentHelp("MaxMind DB (GeoLite2-City, DB-IP City) for client locations.", valueName: "file.mmdb"))
    var geoip: String?

    @Option(name: .long, help: ArgumentHelp("CSV of client networks and their locations (prefix,continent,country,subdivision,latitude,longitude).", valueName: "file.csv"))
    var geoNetworks: String?

    @Option(name: .long, help: ArgumentHelp("CSV of measured latencies (client-prefix,region,milliseconds).", valueName: "file.csv"))
    var latencyTable: String?

    @Flag(name: .long, help: "Reload when a zone file or an included file changes (with --git: when REF moves to a new commit).")
    var watch = false

    @Option(name: .long, help: "Event loop threads (default: one per CPU core).")
    var threads: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Flag(name: .long, help: "Log one line per query to standard output (client, ECS, name, type, rcode, policy, set).")
    var queryLog = false

    @Option(name: .long, help: ArgumentHelp("Time for each TCP message to arrive whole (trickled bytes do not extend it); also the idle timeout.", valueName: "duration"))
    var tcpTimeout: String = "10s"

    @Option(name: .long, help: ArgumentHelp("TCP connections in all (default: half the open-file limit, which is raised to its hard limit at start).", valueName: "n"))
    var tcpMaxConnections: Int?

    @Option(name: .long, help: ArgumentHelp("TCP connections from one client address (/32, or /64 for IPv6).", valueName: "n"))
    var tcpMaxPerClient: Int = 64

    @Option(name: .long, help: ArgumentHelp("Response rate limiting: UDP responses per second to one client network (/24, /56); 0 is off.", valueName: "n"))
    var rateLimit: Int = 0

    @Option(name: .long, help: ArgumentHelp("With --rate-limit: send every K-th limited reply truncated (TC=1) so real clients retry over TCP; 0 drops them all.", valueName: "k"))
    var rateLimitSlip: Int = 2

    @Option(name: .long, help: ArgumentHelp("Folder of DNSSEC keys (from `switchyard keygen`): every zone with a key there is signed.", valueName: "dir"))
    var dnssecKeys: String?

    @Option(name: .long, help: ArgumentHelp("With --dnssec-keys: fresh signatures per second per zone; past it, answers that need one are SERVFAIL (0 is no cap).", valueName: "n"))
    var dnssecSignatureRate = ZoneKeys.defaultSignaturesPerSecond

    @Option(name: .long, help: ArgumentHelp("With --dnssec-keys: signatures each query thread keeps.", valueName: "n"))
    var dnssecCache = 20_000

    @OptionGroup var zoneLimits: ZoneLimitOptions

    @OptionGroup var fleet: FleetOptions

    @OptionGroup var transfer: TransferOptions

    func validate() throws {
        for address in listen { _ = try ListenAddress.parse(address) }
        if admin != "off" { _ = try ListenAddress.parse(admin) }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard let timeout = TimeValue.parse(tcpTimeout), timeout > 0 else {
            throw ValidationError("--tcp-timeout must be a duration such as 10s or 1m, not '\(tcpTimeout)'")
        }
        if let tcpMaxConnections, tcpMaxConnections < 1 { throw ValidationError("--tcp-max-connections must be at least 1") }
        if tcpMaxPerClient < 1 { throw ValidationError("--tcp-max-per-client must be at least 1") }
        if rateLimit < 0 { throw ValidationError("--rate-limit must be 0 (off) or more") }
        if rateLimitSlip < 0 { throw ValidationError("--rate-limit-slip must be 0 or more") }
        if adminMaxConnections < 1 { throw ValidationError("--admin-max-connections must be at least 1") }
        if !(adminRequestTimeout > 0 && adminRequestTimeout <= 3600) {
            throw ValidationError("--admin-request-timeout must be more than 0 and at most 3600 seconds")
        }
        try fleet.validate()
        try transfer.validate()
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "switchyard")
        ProcessHeap.mapLargeBlocksSeparately()
        do {
            try await ServerAssembly(command: self, logger: logger).run()
        } catch let error as ExitCode {
            throw error
        } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
    }
}

/// `ADDR:PORT` as given to `--listen` and `--admin`: `127.0.0.1:5300`, `[::1]:5300`.
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

extension ServeCommand {
    var adminLimits: AdminConnectionLimits {
        AdminConnectionLimits(maxConnections: adminMaxConnections,
                              requestTimeout: .milliseconds(Int64((adminRequestTimeout * 1000).rounded())))
    }
}
