import DNSWire
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A blocking DNS client over real loopback sockets, for live tests: every call has a
/// receive timeout, so no test can hang on a server that does not answer.
struct DNSTestClient {
    let host: String
    let port: Int
    var timeoutMilliseconds = 2000

    enum ClientError: Error { case socket(String), timeout, closed }

    /// Sends raw bytes over UDP; returns the reply bytes, or nil when none came in time.
    func udpExchange(_ bytes: [UInt8]) throws -> [UInt8]? {
        let family = host.contains(":") ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError.socket("socket") }
        defer { close(fd) }
        setTimeout(fd)
        try withAddress { address, length in
            let sent = bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, bytes.count, 0, address, length) }
            guard sent == bytes.count else { throw ClientError.socket("sendto") }
        }
        var buffer = [UInt8](repeating: 0, count: 65535)
        let received = recv(fd, &buffer, buffer.count, 0)
        if received < 0 { return nil }
        return Array(buffer[0..<received])
    }

    func udp(_ message: Message) throws -> Message {
        guard let reply = try udpExchange(Array(message.encode().readableBytesView)) else { throw ClientError.timeout }
        return try Message(decoding: ByteBuffer(bytes: reply))
    }

    /// Opens a TCP connection (closed by the caller).
    func connectTCP() throws -> Int32 {
        let family = host.contains(":") ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError.socket("socket") }
        setTimeout(fd)
        do {
            try withAddress { address, length in
                guard connect(fd, address, length) == 0 else { throw ClientError.socket("connect: \(errno)") }
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, bytes.count, 0) }
        guard sent == bytes.count else { throw ClientError.socket("send") }
    }

    static func framed(_ message: Message) -> [UInt8] {
        let bytes = Array(message.encode().readableBytesView)
        return [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
    }

    /// Reads exactly `count` bytes; nil at EOF.
    static func read(_ fd: Int32, count: Int) throws -> [UInt8]? {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: count)
        while result.count < count {
            let n = recv(fd, &buffer, count - result.count, 0)
            if n == 0 { return nil }
            if n < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? ClientError.timeout : ClientError.socket("recv \(errno)") }
            result += buffer[0..<n]
        }
        return result
    }

    static func readMessage(_ fd: Int32) throws -> Message? {
        guard let prefix = try read(fd, count: 2) else { return nil }
        let length = Int(prefix[0]) << 8 | Int(prefix[1])
        guard let body = try read(fd, count: length) else { throw ClientError.closed }
        return try Message(decoding: ByteBuffer(bytes: body))
    }

    func tcp(_ message: Message) throws -> Message {
        let fd = try connectTCP()
        defer { close(fd) }
        try DNSTestClient.send(fd, DNSTestClient.framed(message))
        guard let reply = try DNSTestClient.readMessage(fd) else { throw ClientError.closed }
        return reply
    }

    func setTimeout(_ fd: Int32) {
        var tv = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: Int((timeoutMilliseconds % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func withAddress(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Void) throws {
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            try withUnsafePointer(to: &address) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &address.sin_addr)
            try withUnsafePointer(to: &address) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }
}
