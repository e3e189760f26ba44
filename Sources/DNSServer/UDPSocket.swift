import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Opens the UDP sockets the workers read: plain descriptors, each bound with
/// SO_REUSEPORT so that several sockets share one address and the kernel spreads
/// datagrams across them (one per worker thread).
enum UDPSocket {
    /// A blocking UDP socket bound to `address` (reads never wait: they use MSG_DONTWAIT
    /// after poll; sends may, when the socket's buffer is full, which is back-pressure).
    static func bind(_ address: SocketAddress) throws -> Int32 {
        let family: Int32
        switch address {
        case .v4: family = AF_INET
        case .v6: family = AF_INET6
        case .unixDomainSocket: throw IOError(errnoCode: EAFNOSUPPORT, reason: "UDP on a Unix socket")
        }
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        do {
            try set(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
            try set(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT")
            // Room for bursts: a full receive buffer drops datagrams before they are seen.
            try? set(fd, SOL_SOCKET, SO_RCVBUF, 4 << 20, "SO_RCVBUF")
            let result = address.withSockAddr { Glibc.bind(fd, $0, socklen_t($1)) }
            guard result == 0 else { throw IOError(errnoCode: errno, reason: "bind") }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    static func set(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ label: String) throws {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw IOError(errnoCode: errno, reason: "setsockopt \(label)")
        }
    }

    /// The address `fd` is bound to (the port the system chose for port 0).
    static func localAddress(_ fd: Int32) throws -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw IOError(errnoCode: errno, reason: "getsockname") }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in.self)) }
        case AF_INET6:
            return withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in6.self)) }
        default:
            throw IOError(errnoCode: EAFNOSUPPORT, reason: "getsockname")
        }
    }
}
