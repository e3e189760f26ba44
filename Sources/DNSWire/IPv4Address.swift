/// An IPv4 address, held as one 32-bit integer in host order so prefix tests are shifts.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text; exactly four decimal parts of 0–255 without leading zeros.
    public init?(_ text: some StringProtocol) {
        self.init(presentation: Array(text.utf8))
    }

    /// Dotted-quad text as bytes (the zone parser's form), with the same rules as the
    /// string initializer but without building a string.
    @inlinable
    public init?<Octets: Collection>(presentation text: Octets) where Octets.Element == UInt8 {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        var leadingZero = false
        for b in text {
            if b == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
                continue
            }
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"), digits < 3 else { return nil }
            if digits == 0 { leadingZero = b == UInt8(ascii: "0") } else if leadingZero { return nil }
            part = part * 10 + UInt32(b - UInt8(ascii: "0"))
            guard part <= 255 else { return nil }
            digits += 1
        }
        guard digits > 0, parts == 3 else { return nil }
        self.value = value << 8 | part
    }

    public var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    public var description: String {
        "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
