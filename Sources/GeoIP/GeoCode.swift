/// A short location code — a continent (`EU`), country (`US`) or subdivision (`CA`,
/// `ENG`) — packed into one integer.
///
/// Every code Route 53 and ISO 3166 use fits in four ASCII characters, and packing them
/// makes `GeoLocation` a plain value: copying one on the query path touches no reference
/// count (a `String` would, from every thread at once), and comparing a client's country
/// with a record's is one integer comparison. The first character sits in the high byte,
/// so integer order is alphabetical order.
public struct GeoCode: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: UInt32

    /// A code of 1 to 4 printable ASCII characters (no spaces); nil for anything else.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: text.utf8)
    }

    /// The same rule applied to raw bytes, so decoders need not build a `String` first.
    public init?<Bytes: Collection>(utf8 bytes: Bytes) where Bytes.Element == UInt8 {
        guard (1...4).contains(bytes.count) else { return nil }
        var value: UInt32 = 0
        for byte in bytes {
            guard byte > 0x20 && byte < 0x7F else { return nil }
            value = value << 8 | UInt32(byte)
        }
        rawValue = value << (8 * UInt32(4 - bytes.count))
    }

    /// For codes written in source; a literal that is not a valid code is a programming error.
    public init(stringLiteral text: String) {
        guard let code = GeoCode(text) else { preconditionFailure("'\(text)' is not a 1-4 character code") }
        self = code
    }

    public var description: String {
        // At most four ASCII bytes: a small string, written in place with no heap
        // allocation (a client's location spells its codes out once per query).
        String(unsafeUninitializedCapacity: 4) { buffer in
            var count = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: rawValue >> UInt32(shift))
                if byte == 0 { break }
                buffer[count] = byte
                count += 1
            }
            return count
        }
    }

    public static func < (lhs: GeoCode, rhs: GeoCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
