/// An IPv4 or IPv6 address: a client's source, an ECS address, or an A/AAAA value.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    public init?(_ text: some StringProtocol) {
        if let v4 = IPv4Address(text) {
            self = .v4(v4)
        } else if let v6 = IPv6Address(text) {
            self = .v6(v6)
        } else {
            return nil
        }
    }

    /// Maximum prefix length of this family: 32 or 128.
    public var bitWidth: Int {
        switch self {
        case .v4: return 32
        case .v6: return 128
        }
    }

    /// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) seen as the IPv4 address it carries.
    public var unmapped: IPAddress {
        if case .v6(let v6) = self, v6.high == 0, v6.low >> 32 == 0xFFFF {
            return .v4(IPv4Address(UInt32(truncatingIfNeeded: v6.low)))
        }
        return self
    }

    public var description: String {
        switch self {
        case .v4(let a): return a.description
        case .v6(let a): return a.description
        }
    }
}

/// An address prefix such as `192.0.2.0/24`: a CIDR block, an ECS source subnet, a table key.
///
/// The address is always masked to `length` bits, so two spellings of one block compare equal.
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    public private(set) var address: IPAddress
    public private(set) var length: Int

    public init(address: IPAddress, length: Int) {
        precondition(length >= 0 && length <= address.bitWidth)
        self.address = IPPrefix.mask(address, length)
        self.length = length
    }

    /// Parses `ADDR/LEN` (or a bare address, as a host prefix). `strict` rejects host bits set
    /// beyond the length, which is what a zone or table author should be told about.
    public init?(_ text: some StringProtocol, strict: Bool = false) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(parts[0]) else { return nil }
        var length = address.bitWidth
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit), let n = Int(parts[1]),
                  n <= address.bitWidth else { return nil }
            length = n
        }
        if strict && IPPrefix.mask(address, length) != address { return nil }
        self.init(address: address, length: length)
    }

    static func mask(_ address: IPAddress, _ length: Int) -> IPAddress {
        switch address {
        case .v4(let a):
            let m: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
            return .v4(IPv4Address(a.value & m))
        case .v6(let a):
            let hm: UInt64 = length >= 64 ? ~0 : (length == 0 ? 0 : ~UInt64(0) << UInt64(64 - length))
            let lm: UInt64 = length <= 64 ? 0 : (length == 128 ? ~0 : ~UInt64(0) << UInt64(128 - length))
            return .v6(IPv6Address(high: a.high & hm, low: a.low & lm))
        }
    }

    /// True when `other` lies inside this prefix (same family, at least as long, same leading bits).
    public func contains(_ other: IPPrefix) -> Bool {
        guard other.length >= length, other.address.bitWidth == address.bitWidth else { return false }
        return IPPrefix.mask(other.address, length) == address
    }

    public func contains(_ other: IPAddress) -> Bool {
        contains(IPPrefix(address: other, length: other.bitWidth))
    }

    public var description: String { "\(address)/\(length)" }
}
