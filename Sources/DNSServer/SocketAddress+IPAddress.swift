import DNSWire
import NIOCore

extension SocketAddress {
    /// The address as a value the routing code can match on, read straight from the
    /// sockaddr (no string formatting on the query path).
    var dnsIPAddress: IPAddress? {
        switch self {
        case .v4(let address):
            return .v4(DNSWire.IPv4Address(UInt32(bigEndian: address.address.sin_addr.s_addr)))
        case .v6(let address):
            let words = withUnsafeBytes(of: address.address.sin6_addr) {
                (UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)), UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            return IPAddress.v6(DNSWire.IPv6Address(high: words.0, low: words.1)).unmapped
        case .unixDomainSocket:
            return nil
        }
    }
}
