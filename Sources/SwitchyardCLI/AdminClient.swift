import AdminContract
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The CLI's side of the admin API: typed requests and answers from `AdminContract`, a
/// clear error when the server is not running or refuses.
struct AdminClient {
    let baseURL: String
    let token: String?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(admin: String, tokenFile: String?) throws {
        var base = admin
        while base.hasSuffix("/") { base.removeLast() }
        if !base.hasPrefix("http://") && !base.hasPrefix("https://") { base = "http://" + base }
        baseURL = base
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile),
                  let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                throw Failure(description: "\(tokenFile): cannot read the admin token (the file must hold the token)")
            }
            token = text
        } else {
            token = nil
        }
    }

    /// GET `path` and decode the answer.
    func get<R: Decodable>(_ path: String, as type: R.Type = R.self) async throws -> R {
        try decode(try await exchange(.GET, path, body: nil))
    }

    /// Send `body` as JSON and decode the answer.
    func send<B: Encodable, R: Decodable>(_ method: HTTPMethod, _ path: String, body: B, as type: R.Type = R.self) async throws -> R {
        try decode(try await exchange(method, path, body: try AdminJSON.encoder().encode(body)))
    }

    /// A write without a body (DELETE, reload), decoding the answer.
    func send<R: Decodable>(_ method: HTTPMethod, _ path: String, as type: R.Type = R.self) async throws -> R {
        try decode(try await exchange(method, path, body: nil))
    }

    /// GET `path` and return the server's JSON as it came, for `--json`; an error status
    /// throws as for typed calls.
    func raw(_ path: String) async throws -> String {
        let (status, body) = try await exchange(.GET, path, body: nil)
        try Self.check(status: status, body: body)
        return String(decoding: body, as: UTF8.self)
    }

    /// Sends the request and returns the status and body; throws when the server cannot be
    /// reached.
    func exchange(_ method: HTTPMethod, _ path: String, body json: Data?) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: json))
        }
        // A refused connection is reported at once rather than retried until a deadline.
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(3), read: .seconds(60)))
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = client.shutdown() }
        do {
            let response = try await client.execute(request, timeout: .seconds(90))
            let body = try await response.body.collect(upTo: 16 << 20)
            return (Int(response.status.code), Data(body.readableBytesView))
        } catch {
            throw Failure(description: "cannot reach the switchyard admin API at \(baseURL): \(AdminClient.describe(error)) — is `switchyard serve` running with --admin at that address?")
        }
    }

    /// On success decodes the body; on an error status throws the server's message.
    func decode<R: Decodable>(_ reply: (status: Int, body: Data)) throws -> R {
        try Self.check(status: reply.status, body: reply.body)
        do {
            return try AdminJSON.decoder().decode(R.self, from: reply.body)
        } catch {
            throw Failure(description: "the admin API at \(baseURL) answered something this switchyard cannot read (\(error)); are both the same version?")
        }
    }

    /// Throws the server's `Problem` message for a status other than 2xx.
    static func check(status: Int, body: Data) throws {
        guard !(200..<300).contains(status) else { return }
        var message = (try? AdminJSON.decoder().decode(AdminJSON.Problem.self, from: body))?.error ?? String(decoding: body, as: UTF8.self)
        if status == 401 { message += " (give --token-file with the server's admin token)" }
        throw Failure(description: "the server refused (HTTP \(status)): \(message)")
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("refused") { return "connection refused" }
        if text.contains("connectTimeout") { return "connection timed out" }
        return text
    }
}
