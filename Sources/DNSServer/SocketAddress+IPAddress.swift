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
            var storage = address.address.sin6_addr
            let bytes = withUnsafeBytes(of: &storage) { Array($0) }
            return IPAddress.v6(DNSWire.IPv6Address(bytes: bytes)).unmapped
        case .unixDomainSocket:
            return nil
        }
    }
}
