import DNSWire
import Foundation
import NIOCore

/// DNS over real loopback sockets for live tests, on `LoopbackSocket`: every call has a
/// receive timeout, so no test can hang on a server that does not answer.
struct DNSTestClient {
    let host: String
    let port: Int
    var timeoutMilliseconds = 2000

    var timeout: Duration { .milliseconds(timeoutMilliseconds) }

    /// Sends raw bytes over UDP; returns the reply, or nil when none came in time.
    func udpExchange(_ bytes: [UInt8]) throws -> [UInt8]? {
        let socket = try LoopbackSocket(udp: true, host: host)
        defer { socket.close() }
        socket.setTimeout(timeout)
        try socket.connect(port: UInt16(port))
        try socket.sendAll(bytes)
        do {
            return try socket.receive(upTo: 65535)
        } catch LoopbackSocket.Failure.timedOut {
            return nil
        }
    }

    func udp(_ message: Message) throws -> Message {
        guard let reply = try udpExchange(Array(message.encode().readableBytesView)) else { throw LoopbackSocket.Failure.timedOut }
        return try Message(decoding: ByteBuffer(bytes: reply))
    }

    /// Opens a TCP connection (closed by the caller).
    func connectTCP() throws -> LoopbackSocket {
        let socket = try LoopbackSocket(udp: false, host: host)
        socket.setTimeout(timeout)
        do {
            try socket.connect(port: UInt16(port))
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    func tcp(_ message: Message) throws -> Message {
        let socket = try connectTCP()
        defer { socket.close() }
        try socket.sendAll(DNSTestClient.framed(message))
        guard let reply = try socket.readMessage() else { throw LoopbackSocket.Failure.closed }
        return reply
    }

    /// A message with its two-octet length, as it travels over TCP.
    static func framed(_ message: Message) -> [UInt8] {
        let bytes = Array(message.encode().readableBytesView)
        return [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
    }
}

extension LoopbackSocket {
    /// The next length-framed message on a stream; nil when the server closed it first.
    func readMessage() throws -> Message? {
        let prefix: [UInt8]
        do { prefix = try receive(exactly: 2) } catch Failure.closed { return nil }
        let body = try receive(exactly: Int(prefix[0]) << 8 | Int(prefix[1]))
        return try Message(decoding: ByteBuffer(bytes: body))
    }

    /// Whether the server closed the stream (waits up to the socket's timeout).
    func isClosedByPeer() throws -> Bool {
        do {
            _ = try receive(upTo: 1)
            return false
        } catch Failure.closed {
            return true
        }
    }
}
