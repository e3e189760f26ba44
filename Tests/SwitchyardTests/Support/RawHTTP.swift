import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking socket work on a thread of its own, so the cooperative pool that the
/// tests running meanwhile need is never held.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// HTTP/1.1 by hand over a `LoopbackSocket`, for attacks a well-behaved client library
/// will not make: foreign `Host` and `Origin`, half-sent requests, idle connections.
enum RawHTTP {
    struct Reply: Sendable {
        var status: Int
        var head: String
        var body: String
    }

    /// A request with the given extra header lines; `Content-Length` is added for a body.
    static func request(_ method: String, _ path: String, host: String?, headers: [String] = [], body: String? = nil) -> [UInt8] {
        var lines = ["\(method) \(path) HTTP/1.1"]
        if let host { lines.append("Host: \(host)") }
        lines += headers
        if let body { lines.append("Content-Length: \(body.utf8.count)") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")).utf8)
    }

    /// Reads one response (head, then `Content-Length` octets) from a connection.
    static func readReply(_ socket: LoopbackSocket) throws -> Reply {
        var bytes: [UInt8] = []
        var headEnd: Int? = nil
        for _ in 0..<1000 where headEnd == nil {
            bytes += try socket.receive(upTo: 4096)
            headEnd = find([13, 10, 13, 10], in: bytes)
        }
        guard let headEnd else { throw LoopbackSocket.Failure.timedOut }
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let lengthLine = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
        let length = lengthLine.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        var body = Array(bytes[(headEnd + 4)...])
        while body.count < length { body += try socket.receive(upTo: length - body.count) }
        return Reply(status: status, head: head, body: String(decoding: body, as: UTF8.self))
    }

    /// One request on a new connection to 127.0.0.1:`port`, and its reply.
    static func exchange(port: UInt16, _ request: [UInt8], timeout: Duration = .seconds(5)) async throws -> Reply {
        try await onThread {
            let socket = try LoopbackSocket(udp: false)
            defer { socket.close() }
            socket.setTimeout(timeout)
            try socket.connect(port: port)
            try socket.sendAll(request)
            return try readReply(socket)
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle { return start }
        return nil
    }

    /// Whether the peer has closed `socket`, waiting up to `wait` for it: true on end of
    /// stream or reset, false when nothing came.
    static func closedByPeer(_ socket: LoopbackSocket, wait: Duration) -> Bool {
        var descriptor = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return false }
        var byte: UInt8 = 0
        let received = recv(socket.fd, &byte, 1, Int32(MSG_DONTWAIT))
        if received == 0 { return true }
        return received < 0 && errno != EAGAIN && errno != EWOULDBLOCK
    }

    /// Sends bytes without raising SIGPIPE; false when the connection is gone.
    static func sendQuietly(_ socket: LoopbackSocket, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { send(socket.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }
}

/// An HTTP target that answers `200 OK` headers with a long `Content-Length`, then drips
/// its body one byte every `drip` (at most `drips` bytes per connection): the health
/// check that never finishes. Plain sockets on threads of its own; `stop` ends them.
final class TricklingHTTPServer: Sendable {
    let listener: LoopbackSocket
    let port: UInt16
    let stopped = Atomic<Bool>(false)
    let connections = Atomic<Int>(0)
    let acceptDone = Mutex<Bool>(false)

    init(drip: Duration = .milliseconds(200), drips: Int = 300) throws {
        listener = try LoopbackSocket(udp: false)
        var one: Int32 = 1
        setsockopt(listener.fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard listener.bind(port: 0), let port = listener.localPort, listen(listener.fd, 64) == 0 else {
            listener.close()
            throw LoopbackSocket.Failure.system("bind/listen", errno)
        }
        self.port = port
        listener.setTimeout(.milliseconds(100))
        let listener = self.listener
        Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                let fd = accept(listener.fd, nil, nil)
                guard fd >= 0 else { continue }
                connections.add(1, ordering: .relaxed)
                Thread { [self] in
                    defer { _ = Glibc.close(fd) }
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    _ = recv(fd, &buffer, buffer.count, 0)
                    let head = Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n".utf8)
                    guard head.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == head.count else { return }
                    let (seconds, attoseconds) = drip.components
                    let micros = UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
                    for _ in 0..<drips where !stopped.load(ordering: .relaxed) {
                        usleep(micros)
                        var byte: UInt8 = 0x78
                        guard send(fd, &byte, 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
                    }
                }.start()
            }
            acceptDone.withLock { $0 = true }
        }.start()
    }

    var url: String { "http://127.0.0.1:\(port)/health" }

    /// Stops accepting (within the 100 ms accept timeout) and ends every drip loop at its
    /// next byte.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        for _ in 0..<50 where !acceptDone.withLock({ $0 }) { usleep(20_000) }
        listener.close()
    }
}
