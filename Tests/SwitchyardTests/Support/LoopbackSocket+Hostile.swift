import Foundation
#if canImport(Glibc)
import Glibc
#endif

// What the hostile-traffic tests need beyond a plain client socket: a chosen source
// address (any of 127.0.0.0/8, to stand for many clients), small kernel buffers, and
// waiting for the server to hang up.
extension LoopbackSocket {
    /// A socket bound to `source` (an IPv4 loopback address), port chosen by the system.
    init(udp: Bool, from source: String, to host: String = "127.0.0.1") throws {
        self = try LoopbackSocket(udp: udp, host: host)
        var address = LoopbackSocket.address(port: 0)
        address.sin_addr.s_addr = inet_addr(source)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close()
            throw Failure.system("bind to \(source)", code)
        }
    }

    /// Asks the kernel for small send and receive buffers, so a client that stops reading
    /// pushes back on the server quickly.
    func shrinkBuffers(to bytes: Int32 = 4096) {
        var size = bytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Reads and discards until the server closes or resets the stream (true) or `limit`
    /// passes (false). Each read waits at most the socket's timeout.
    func waitUntilClosed(within limit: Duration) -> Bool {
        let started = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ContinuousClock.now - started < limit {
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if received == 0 { return true }
            if received < 0 {
                if errno == ECONNRESET || errno == EPIPE { return true }
                if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { return true }
            }
        }
        return false
    }

    /// Sends what the kernel takes of `bytes` within the socket's send timeout; returns the
    /// octets sent (fewer than asked when the peer stopped reading).
    func sendSome(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return offset }
            offset += sent
        }
        return offset
    }
}

/// Runs blocking socket work on a thread of its own, so a test that waits on a socket
/// never holds a thread of Swift's cooperative pool.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
