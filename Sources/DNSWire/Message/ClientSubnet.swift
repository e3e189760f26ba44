/// The EDNS Client Subnet option (RFC 7871 §6): the client's address truncated to the
/// source prefix, and the scope prefix the answer depends on.
public struct ClientSubnet: Hashable, Sendable, CustomStringConvertible {
    public static let optionCode: UInt16 = 8

    public var sourcePrefixLength: UInt8
    public var scopePrefixLength: UInt8
    /// The address, masked to the source prefix.
    public var address: IPAddress

    public init(address: IPAddress, sourcePrefixLength: UInt8, scopePrefixLength: UInt8 = 0) {
        precondition(Int(sourcePrefixLength) <= address.bitWidth)
        self.address = IPPrefix(address: address, length: Int(sourcePrefixLength)).address
        self.sourcePrefixLength = sourcePrefixLength
        self.scopePrefixLength = scopePrefixLength
    }

    /// The source subnet as a prefix.
    public var sourcePrefix: IPPrefix { IPPrefix(address: address, length: Int(sourcePrefixLength)) }

    /// Decodes option data, enforcing §6's rules: family 1 or 2, prefix within the family,
    /// exactly ceil(source/8) address octets and no bits set beyond the source prefix.
    public init(optionData data: [UInt8]) throws(DNSWireError) {
        guard data.count >= 4 else { throw .badOption("ECS option shorter than 4 octets") }
        let family = UInt16(data[0]) << 8 | UInt16(data[1])
        let source = data[2]
        let scope = data[3]
        let addressBytes = Array(data[4...])
        let width: Int
        switch family {
        case 1: width = 32
        case 2: width = 128
        default: throw .badOption("ECS family \(family) is not 1 (IPv4) or 2 (IPv6)")
        }
        guard Int(source) <= width, Int(scope) <= width else { throw .badOption("ECS prefix longer than the address") }
        guard addressBytes.count == (Int(source) + 7) / 8 else {
            throw .badOption("ECS address has \(addressBytes.count) octets for a /\(source) source prefix")
        }
        let full = addressBytes + Array(repeating: 0, count: width / 8 - addressBytes.count)
        let address: IPAddress = family == 1
            ? .v4(IPv4Address(full[0], full[1], full[2], full[3]))
            : .v6(IPv6Address(bytes: full))
        guard IPPrefix(address: address, length: Int(source)).address == address else {
            throw .badOption("ECS address has bits set beyond its source prefix")
        }
        self.address = address
        self.sourcePrefixLength = source
        self.scopePrefixLength = scope
    }

    /// Option data as §6 lays it out, with the address cut to ceil(source/8) octets.
    public var optionData: [UInt8] {
        let family: UInt16
        let bytes: [UInt8]
        switch address {
        case .v4(let a):
            family = 1
            bytes = a.bytes
        case .v6(let a):
            family = 2
            bytes = a.bytes
        }
        return [UInt8(family >> 8), UInt8(family & 0xFF), sourcePrefixLength, scopePrefixLength]
            + bytes.prefix((Int(sourcePrefixLength) + 7) / 8)
    }

    public var description: String { "\(address)/\(sourcePrefixLength)/\(scopePrefixLength)" }
}
