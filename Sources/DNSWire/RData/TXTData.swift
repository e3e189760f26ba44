/// TXT and SPF RDATA (RFC 1035 §3.3.14, RFC 7208 §3.1): one or more character-strings of
/// at most 255 octets each.
public struct TXTData: RDataCodable {
    public var strings: [[UInt8]]

    public init(strings: [[UInt8]]) { self.strings = strings }

    public init(_ strings: String...) { self.strings = strings.map { Array($0.utf8) } }

    public static func parse(_ reader: inout PresentationReader) throws(PresentationError) -> TXTData {
        var strings: [[UInt8]] = []
        repeat {
            strings.append(try reader.characterString("character-string"))
        } while !reader.isAtEnd
        return TXTData(strings: strings)
    }

    public static func decode(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> TXTData {
        guard length > 0 else { throw .badRDataLength(type: RecordType.txt.rawValue) }
        let end = reader.offset + length
        var strings: [[UInt8]] = []
        while reader.offset < end {
            let n = Int(try reader.readUInt8())
            guard reader.offset + n <= end else { throw .badRDataLength(type: RecordType.txt.rawValue) }
            strings.append(try reader.readBytes(n))
        }
        return TXTData(strings: strings)
    }

    public func encode(to writer: inout WireWriter) {
        for s in strings {
            writer.writeUInt8(UInt8(s.count))
            writer.writeBytes(s)
        }
    }

    public var presentation: String {
        strings.map(TXTData.quoted).joined(separator: " ")
    }

    /// A character-string in double quotes, with `"` and `\` escaped and non-printable
    /// octets as `\DDD`.
    public static func quoted(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0x20...0x7E:
                out.append(byte)
            default:
                DomainName.appendDecimalEscape(byte, to: &out)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}
