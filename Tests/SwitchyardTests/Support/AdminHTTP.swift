import Foundation

/// A bare HTTP/1.0 GET against an admin API on loopback, on a thread of its own: status
/// and body, or nil when nothing answered within the timeout.
enum AdminHTTP {
    static func get(port: UInt16, path: String, timeout: Duration = .seconds(2)) async -> (status: Int, body: String)? {
        await onOwnThread { getBlocking(port: port, path: path, timeout: timeout) }
    }

    static func getBlocking(port: UInt16, path: String, timeout: Duration) -> (status: Int, body: String)? {
        guard let socket = try? LoopbackSocket(udp: false) else { return nil }
        defer { socket.close() }
        socket.setTimeout(timeout)
        guard (try? socket.connect(port: port)) != nil,
              (try? socket.sendAll(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8))) != nil
        else { return nil }
        var bytes: [UInt8] = []
        // Bounded: at most 16 MB, until the server closes or the body's length has come.
        while bytes.count < 16 << 20, let chunk = try? socket.receive(upTo: 65536), !chunk.isEmpty {
            bytes += chunk
            if let expected = complete(bytes), bytes.count >= expected { break }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("HTTP/1."), let space = text.firstIndex(of: " ") else { return nil }
        let status = Int(text[text.index(after: space)...].prefix(3)) ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, body)
    }

    /// The length of the whole response once its headers (with Content-Length) are in.
    static func complete(_ bytes: [UInt8]) -> Int? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let headers = text[..<end.lowerBound].lowercased()
        guard let field = headers.range(of: "content-length:") else { return nil }
        let digits = headers[field.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }
        guard let length = Int(digits) else { return nil }
        return text[..<end.upperBound].utf8.count + length
    }
}
