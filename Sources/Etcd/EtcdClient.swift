import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A client of an etcd v3 cluster over its JSON gateway (`/v3/...` on the client URLs),
/// so that no gRPC stack is needed.
///
/// Calls go to the member that last answered; a member that cannot be reached (refused,
/// reset, timed out) or that answers "no leader", "leader changed" or "timed out" is passed
/// over for the next, each member tried at most once per call. Each attempt is bounded by
/// `requestTimeout` (connecting by one second at most), so a call is bounded by
/// `requestTimeout` times the number of endpoints, and a killed member on loopback costs
/// next to nothing (its port refuses at once). Calls ask etcd to require a leader, so a
/// member cut off from its quorum says so at once. When no member answered, the call
/// throws `.unreachable`; when the last that answered said "no leader", that rejection
/// (`isUnavailable` is true for both).
///
/// Each watch holds one connection while it runs; a client keeps up to 64 connections per
/// member. Call `shutdown()` before letting go of a client: it owns an HTTP client.
public final class EtcdClient: Sendable {
    /// The client URLs, such as `http://127.0.0.1:2379`.
    public let endpoints: [String]
    let requestTimeout: Duration
    let http: HTTPClient
    /// The index in `endpoints` of the member that answered last.
    private let preferred = Mutex(0)

    /// The largest answer or stream message accepted; a range over many keys can be large,
    /// but an answer beyond this is refused rather than buffered.
    static let maximumMessageBytes = 64 << 20

    /// Connections kept to one member: room for a few dozen watches besides the calls.
    static let connectionsPerMember = 64

    public init(endpoints: [String], requestTimeout: Duration = .seconds(2)) {
        self.endpoints = endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.requestTimeout = requestTimeout
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: min(.seconds(1), TimeAmount(requestTimeout)))
        // The next member is the retry: a refused connection fails the attempt at once
        // instead of being retried against the same dead member until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        // Every open watch holds an HTTP/1 connection for as long as it runs; the pool's
        // default of 8 per member would leave later calls waiting behind a few watches.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = Self.connectionsPerMember
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections; calls and watches still running fail.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// The endpoint indices in the order a call tries them: the one that answered last
    /// first, then the others in turn.
    func attemptOrder() -> [Int] {
        let count = endpoints.count
        guard count > 0 else { return [] }
        let first = preferred.withLock { $0 } % count
        return (0..<count).map { (first + $0) % count }
    }

    func answered(_ index: Int) {
        preferred.withLock { $0 = index }
    }

    /// One gateway call with failover: POSTs `body` to `path` and decodes the answer.
    func call<Response: Decodable>(_ path: String, _ body: some Encodable, as: Response.Type) async throws(EtcdError) -> Response {
        let bytes = try await exchange(path, try Self.encode(body), firstMessageOnly: false)
        return try Self.decode(Response.self, from: bytes, path: path)
    }

    /// The bytes of the first answer with status 200, trying the endpoints in turn. With
    /// `firstMessageOnly` the answer is a stream (lease keepalive) of which only the first
    /// message is read before the request is closed.
    func exchange(_ path: String, _ payload: [UInt8], firstMessageOnly: Bool) async throws(EtcdError) -> [UInt8] {
        var failures: [String] = []
        var lastRejection: EtcdError? = nil
        for index in attemptOrder() {
            let endpoint = endpoints[index]
            switch await attempt(endpoint + path, payload, firstMessageOnly: firstMessageOnly) {
            case .answered(let status, let bytes):
                guard status != 200 else {
                    answered(index)
                    return bytes
                }
                let rejection = Self.rejection(status: status, body: bytes)
                guard case .rejected(let code, let message) = rejection, EtcdError.isRetriable(status: code, message: message) else {
                    answered(index)
                    throw rejection
                }
                failures.append("\(endpoint): \(message)")
                lastRejection = rejection
            case .failed(let reason):
                if Task.isCancelled { throw .unreachable(endpoints: endpoints, reason: "the call was canceled") }
                failures.append("\(endpoint): \(reason)")
            case .tooLarge:
                throw .malformed("\(path) answered more than \(Self.maximumMessageBytes) bytes")
            }
        }
        // A member that answered "no leader" says more than one that did not answer.
        if let lastRejection { throw lastRejection }
        throw .unreachable(endpoints: endpoints, reason: failures.isEmpty ? "no endpoints configured" : failures.joined(separator: "; "))
    }

    enum Outcome: Sendable {
        case answered(status: Int, body: [UInt8])
        case failed(String)
        case tooLarge
    }

    /// One request to one member, bounded by `requestTimeout` from the start to the end of
    /// the answer's body.
    func attempt(_ url: String, _ payload: [UInt8], firstMessageOnly: Bool, requireLeader: Bool = true) async -> Outcome {
        let request = Self.post(url, payload, requireLeader: requireLeader)
        let timeout = requestTimeout
        let http = self.http
        do {
            return try await Self.within(timeout) {
                let response = try await http.execute(request, timeout: TimeAmount(timeout))
                let status = Int(response.status.code)
                guard firstMessageOnly && status == 200 else {
                    let body = try await response.body.collect(upTo: Self.maximumMessageBytes)
                    return .answered(status: status, body: Array(body.readableBytesView))
                }
                var splitter = GatewayStreamSplitter(limit: Self.maximumMessageBytes)
                for try await chunk in response.body {
                    if let first = try splitter.append(chunk).first { return .answered(status: status, body: first) }
                }
                // A last message without its newline still counts.
                guard let last = splitter.remainder else { return .failed("the stream ended before its first message") }
                return .answered(status: status, body: last)
            }
        } catch is NIOTooManyBytesError {
            return .tooLarge
        } catch is EtcdError {
            // Only the stream splitter throws these: a message beyond the limit.
            return .tooLarge
        } catch {
            return .failed(Self.describe(error))
        }
    }

    static func post(_ url: String, _ payload: [UInt8], requireLeader: Bool = true) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        // etcd's "require leader" flag, passed through the gateway as gRPC metadata: a member
        // that has lost its leader rejects the call at once ("no leader", tried on the next
        // member) instead of holding it until etcd's own timeout, and cancels watches it
        // can no longer feed instead of leaving them silent.
        if requireLeader { request.headers.add(name: "Grpc-Metadata-hasleader", value: "true") }
        request.body = .bytes(payload)
        return request
    }

    struct TimedOut: Error, CustomStringConvertible {
        var limit: Duration
        var description: String { "no answer within \(limit)" }
    }

    /// Runs `operation`, canceling it when `limit` passes first.
    static func within<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut(limit: limit) }
            return value
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.description }
        return String(describing: error)
    }

    static func encode(_ body: some Encodable) throws(EtcdError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(body))
        } catch {
            throw .malformed("request not encodable: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], path: String) throws(EtcdError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw .malformed("\(path): \(error); answer: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }

    /// The error an answer other than 200 stands for: the gRPC code and message of its body,
    /// or the HTTP status when the body is not the gateway's error object.
    static func rejection(status: Int, body: [UInt8]) -> EtcdError {
        if let error = try? JSONDecoder().decode(GatewayErrorResponse.self, from: Data(body)), let code = error.code {
            return .rejected(status: code, message: error.message)
        }
        if let error = try? JSONDecoder().decode(GatewayStreamMessage<GatewayEmpty>.self, from: Data(body)), let stream = error.error {
            return stream.rejection
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        // An HTTP 503 without a gRPC body is still the gateway saying "unavailable".
        return .rejected(status: status == 503 ? EtcdError.unavailableCode : status, message: text.isEmpty ? "HTTP \(status)" : text)
    }
}
