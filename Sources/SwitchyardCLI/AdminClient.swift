import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The CLI's side of the admin API: one request, a clear error when the server is not
/// running or refuses.
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

    /// Sends the request and returns the status and body; throws when the server cannot be
    /// reached.
    func send(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
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

    /// Sends the request and decodes the JSON body on success; on an error status, throws
    /// the server's message.
    func call(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil) async throws -> Any {
        let (status, body) = try await send(method, path, json: json)
        let object = (try? JSONSerialization.jsonObject(with: body)) ?? [:]
        guard (200..<300).contains(status) else {
            let dictionary = object as? [String: Any]
            var message = dictionary?["error"] as? String ?? String(decoding: body, as: UTF8.self)
            if status == 401 { message += " (give --token-file with the server's admin token)" }
            throw Failure(description: "the server refused (HTTP \(status)): \(message)")
        }
        return object
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("refused") { return "connection refused" }
        if text.contains("connectTimeout") { return "connection timed out" }
        return text
    }
}
