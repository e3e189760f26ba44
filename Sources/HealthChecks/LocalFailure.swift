import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells a probe that could not be made because of this host (no file descriptor, no
/// buffer, no memory, no local address or port) from one that failed because of its
/// target. Only the first kind is "local": it says nothing about the target, so it must
/// not count against it (SPEC §5), or anyone able to exhaust our descriptors could force a
/// failover.
public enum LocalFailure {
    /// The errno values that mean "this host could not make the attempt". EAGAIN is what
    /// Linux `connect` returns when the routing cache is full; EADDRNOTAVAIL when no local
    /// port or address is left.
    public static let errnoCodes: Set<Int32> = [EMFILE, ENFILE, ENOBUFS, ENOMEM, EADDRNOTAVAIL, EAGAIN]

    /// The local errno behind `error`, or nil when the failure may be the target's. NIO
    /// throws `IOError` (with the errno) for a failed system call, and `NIOConnectionError`
    /// wrapping one failure per address tried when it connects by name; AsyncHTTPClient
    /// passes the connection error through unchanged. A connection error is local only when
    /// every attempt failed locally.
    public static func errnoCode(of error: any Error) -> Int32? {
        switch error {
        case let error as IOError:
            return errnoCodes.contains(error.errnoCode) ? error.errnoCode : nil
        case let error as NIOConnectionError:
            let codes = error.connectionErrors.map { errnoCode(of: $0.error) }
            guard let first = codes.first, codes.allSatisfy({ $0 != nil }) else { return nil }
            return first
        default:
            return nil
        }
    }

    /// "EMFILE (Too many open files)".
    public static func describe(_ code: Int32) -> String {
        let names: [Int32: String] = [EMFILE: "EMFILE", ENFILE: "ENFILE", ENOBUFS: "ENOBUFS", ENOMEM: "ENOMEM",
                                      EADDRNOTAVAIL: "EADDRNOTAVAIL", EAGAIN: "EAGAIN"]
        return "\(names[code] ?? "errno \(code)") (\(String(cString: strerror(code))))"
    }
}
