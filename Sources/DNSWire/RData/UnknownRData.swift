/// RDATA of a type Switchyard does not interpret, kept as opaque octets and written in the
/// generic form `\# LENGTH HEX` of RFC 3597 §5.
public struct UnknownRData: Hashable, Sendable {
    public var type: RecordType
    public var bytes: [UInt8]

    public init(type: RecordType, bytes: [UInt8]) {
        self.type = type
        self.bytes = bytes
    }

    /// Reads `\# LENGTH HEX...` (the hex may be split over several tokens).
    public static func parseGeneric(_ reader: inout PresentationReader) throws(PresentationError) -> [UInt8] {
        let marker = try reader.next("\\#")
        guard marker.text == Array("\\#".utf8), !marker.isQuoted else {
            throw reader.error("expected \\# to start RFC 3597 generic RDATA", at: reader.index - 1)
        }
        let length: UInt16 = try reader.integer("RDATA length")
        var hex: [UInt8] = []
        while !reader.isAtEnd { hex.append(contentsOf: try reader.next("hex").text) }
        guard hex.count % 2 == 0 else { throw reader.error("odd number of hex digits in generic RDATA") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var i = 0
        while i < hex.count {
            guard let high = hexValue(hex[i]), let low = hexValue(hex[i + 1]) else {
                throw reader.error("'\(String(decoding: hex[i...i+1], as: UTF8.self))' is not hex in generic RDATA")
            }
            bytes.append(high << 4 | low)
            i += 2
        }
        guard bytes.count == Int(length) else {
            throw reader.error("generic RDATA says \(length) octets but has \(bytes.count)")
        }
        return bytes
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    public var presentation: String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for b in bytes {
            hex.append(digits[Int(b >> 4)])
            hex.append(digits[Int(b & 0xF)])
        }
        return bytes.isEmpty ? "\\# 0" : "\\# \(bytes.count) " + String(decoding: hex, as: UTF8.self)
    }
}
