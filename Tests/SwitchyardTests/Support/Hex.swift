import NIOCore

/// Hex helpers for wire fixtures. Fixtures may be written with spaces, newlines and
/// `|` separators between fields to mirror the RFC layouts; those are ignored.
enum Hex {
    /// Bytes from hex text; traps on a non-hex character or an odd digit count, since a
    /// malformed fixture is a bug in the test itself.
    static func bytes(_ text: String) -> [UInt8] {
        var digits: [UInt8] = []
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "|"): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digits.append(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digits.append(c - UInt8(ascii: "A") + 10)
            default: preconditionFailure("bad hex character '\(Character(Unicode.Scalar(c)))' in fixture")
            }
        }
        precondition(digits.count % 2 == 0, "odd number of hex digits in fixture")
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// Lower-case hex with no separators.
    static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Normalises a fixture to the form `string` produces, for readable comparisons.
    static func normalized(_ text: String) -> String { string(bytes(text)) }
}

extension ByteBuffer {
    /// A buffer holding the bytes of a hex fixture.
    init(hex: String) {
        self.init(bytes: Hex.bytes(hex))
    }

    /// The readable bytes as lower-case hex.
    var hex: String { Hex.string(readableBytesView) }
}
