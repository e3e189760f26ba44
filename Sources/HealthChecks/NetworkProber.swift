import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Zones

/// Probes over the network as Route 53 does (ROUTE53.md §4.2): HTTP and HTTPS healthy on
/// a 2xx or 3xx status, 4 s to connect and `timeout` for the status, `match` within the
/// first 5,120 bytes of the body, no certificate validation (HTTPS with SNI from `host=`);
/// TCP healthy when a connection opens within `timeout`. One deadline (`deadline(for:)`)
/// bounds a whole probe, and an attempt this host could not make is a local error, not a
/// failure of the target.
public final class NetworkProber: Prober {
    public static let connectTimeout: TimeAmount = .seconds(4)
    public static let matchWindow = 5120

    let group: any EventLoopGroup
    /// Clients by (timeout, SNI host, address): the read timeout is per client in
    /// AsyncHTTPClient, and HTTPS checks with `host=` connect to the address but send the
    /// host as SNI through a DNS override.
    let clients = NIOLockedValueBox<[String: HTTPClient]>([:])

    public init(group: any EventLoopGroup) {
        self.group = group
    }

    static func configuration(readTimeout: TimeAmount, dnsOverride: [String: String]) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(certificateVerification: .none, redirectConfiguration: .disallow,
                                                     timeout: .init(connect: NetworkProber.connectTimeout, read: readTimeout))
        // A fresh connection per probe, and a refused connection fails the probe at once
        // instead of being retried until the deadline.
        configuration.maximumUsesPerConnection = 1
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        configuration.dnsOverride = dnsOverride
        return configuration
    }

    func client(timeout: UInt32, sniHost: String?, address: String) -> HTTPClient {
        clients.withLockedValue { clients in
            let key = "\(timeout)|\(sniHost ?? "")|\(sniHost == nil ? "" : address)"
            if let existing = clients[key] { return existing }
            let override = sniHost.map { [$0: address] } ?? [:]
            let created = HTTPClient(eventLoopGroupProvider: .shared(group),
                                     configuration: NetworkProber.configuration(readTimeout: .seconds(Int64(timeout)), dnsOverride: override))
            clients[key] = created
            return created
        }
    }

    public func shutdown() async {
        for client in clients.withLockedValue({ Array($0.values) }) { try? await client.shutdown() }
    }

    /// The whole-probe deadline: for HTTP and HTTPS, 4 s to connect plus `timeout` for
    /// everything after it (status, headers and, with `match=`, the body); for TCP,
    /// `timeout` to connect. A target that trickles its body cannot hold a probe, or a
    /// probe slot, longer than this.
    public static func deadline(for check: HealthCheckDefinition) -> Duration {
        switch check.target {
        case .tcp: return .seconds(Int64(check.timeout))
        default: return .seconds(4) + .seconds(Int64(check.timeout))
        }
    }

    public func probe(_ check: HealthCheckDefinition) async -> ProbeResult {
        let started = ContinuousClock.now
        let at = Date()
        let limit = NetworkProber.deadline(for: check)
        let outcome: ProbeResult.Outcome
        let reason: String
        switch check.target {
        case .http(let host, let port, let path), .https(let host, let port, let path):
            let scheme = if case .https = check.target { "https" } else { "http" }
            (outcome, reason) = await NetworkProber.within(limit, timedOut: NetworkProber.timedOutReason(check, limit)) {
                await self.http(check, scheme: scheme, host: host, port: port, path: path)
            }
        case .tcp(let host, let port):
            // A TCP probe is one connect, bounded on the event loop by its connect timeout:
            // no second deadline to race it.
            (outcome, reason) = await tcp(host: host, port: port, timeout: .seconds(Int64(check.timeout)))
        case .calculated:
            (outcome, reason) = (.passed, "calculated from its children")
        }
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return ProbeResult(outcome: outcome, reason: reason, at: at, milliseconds: ms)
    }

    static func timedOutReason(_ check: HealthCheckDefinition, _ limit: Duration) -> String {
        let seconds = limit.components.seconds
        if case .tcp = check.target { return "connect timed out after \(seconds)s" }
        return check.match == nil ? "no complete response within the \(seconds)s deadline"
                                  : "body not complete within the \(seconds)s deadline"
    }

    /// Runs `body` and gives up on it at `limit`: the probe task is cancelled, which
    /// AsyncHTTPClient and NIO honour while connecting and while streaming the body.
    static func within(_ limit: Duration, timedOut: String,
                       _ body: @escaping @Sendable () async -> (ProbeResult.Outcome, String)) async -> (ProbeResult.Outcome, String) {
        await withTaskGroup(of: (ProbeResult.Outcome, String)?.self) { group in
            group.addTask { await body() }
            group.addTask {
                do { try await Task.sleep(for: limit) } catch { return nil }
                return (.failed, timedOut)
            }
            var first: (ProbeResult.Outcome, String)? = nil
            while first == nil, let next = await group.next() { first = next }
            group.cancelAll()
            return first ?? (.failed, timedOut)
        }
    }

    func http(_ check: HealthCheckDefinition, scheme: String, host: String, port: Int, path: String) async -> (ProbeResult.Outcome, String) {
        let hostText = host.contains(":") ? "[\(host)]" : host
        let sniHost = scheme == "https" ? check.hostHeader : nil
        let client = self.client(timeout: check.timeout, sniHost: sniHost, address: host)
        let url = sniHost.map { "https://\($0):\(port)\(path)" } ?? "\(scheme)://\(hostText):\(port)\(path)"
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        if let header = check.hostHeader { request.headers.replaceOrAdd(name: "Host", value: header) }
        request.headers.add(name: "User-Agent", value: "Switchyard health check")
        do {
            // The head's own deadline; the whole probe, body included, is bounded by `within`.
            let response = try await client.execute(request, timeout: NetworkProber.connectTimeout + .seconds(Int64(check.timeout)))
            let status = Int(response.status.code)
            guard (200..<400).contains(status) else { return (.failed, "HTTP \(status)") }
            guard let match = check.match else { return (.passed, "HTTP \(status)") }
            var body: [UInt8] = []
            for try await chunk in response.body {
                body += chunk.readableBytesView.prefix(NetworkProber.matchWindow - body.count)
                if body.count >= NetworkProber.matchWindow { break }
            }
            // The string must appear entirely within the first 5,120 bytes (ROUTE53.md §10 item 24).
            let found = NetworkProber.contains(body, Array(match.utf8))
            return (found ? .passed : .failed,
                    found ? "HTTP \(status), body matches" : "HTTP \(status), \"\(match)\" not in the first \(NetworkProber.matchWindow) bytes")
        } catch {
            return NetworkProber.failure(error)
        }
    }

    func tcp(host: String, port: Int, timeout: TimeAmount) async -> (ProbeResult.Outcome, String) {
        do {
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .connect(host: host, port: port).get()
            try? await channel.close()
            return (.passed, "connected")
        } catch {
            return NetworkProber.failure(error)
        }
    }

    /// A failed attempt: local when this host could not make it, else against the target.
    static func failure(_ error: any Error) -> (ProbeResult.Outcome, String) {
        if let code = LocalFailure.errnoCode(of: error) {
            return (.localError, "local failure, not counted against the target: \(LocalFailure.describe(code))")
        }
        return (.failed, describe(error))
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connect timed out"
            case .readTimeout, .deadlineExceeded: return "no response within the timeout"
            case .remoteConnectionClosed: return "connection closed by the endpoint"
            default: return "HTTP error: \(error)"
            }
        }
        if error is ChannelError { return "connect failed: \(error)" }
        let text = "\(error)"
        if text.contains("connectTimeout") { return "connect timed out" }
        if text.contains("refused") || text.contains("111") { return "connection refused" }
        return text
    }
}
