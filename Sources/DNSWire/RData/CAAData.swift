/// CAA RDATA (RFC 8659 §4.1): flags, a tag of 1–15 letters and digits, and a value that
/// runs to the end of the RDATA.
public struct CAAData: RDataCodable {
    public var flags: UInt8
    public var tag: [UInt8]
    public var value: [UInt8]

    public init(flags: UInt8, tag: String, value: String) {
        self.flags = flags
        self.tag = Array(tag.utf8)
        self.value = Array(value.utf8)
    }

    init(flags: UInt8, tagBytes: [UInt8], value: [UInt8]) {
        self.flags = flags
        self.tag = tagBytes
        self.value = value
    }

    static func isValidTag(_ tag: [UInt8]) -> Bool {
        (1...15).contains(tag.count) && tag.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        }
    }

    public static func parse(_ reader: inout PresentationReader) throws(PresentationError) -> CAAData {
        let flags: UInt8 = try reader.integer("CAA flags")
        let tagToken = try reader.next("CAA tag")
        guard !tagToken.isQuoted, isValidTag(tagToken.text) else {
            throw reader.error("CAA tag must be 1 to 15 letters or digits, not '\(tagToken.string)'", at: reader.index - 1)
        }
        let valueToken = try reader.next("CAA value")
        let value: [UInt8]
        do { value = try valueToken.unescaped() } catch {
            throw reader.error(error.message, at: reader.index - 1)
        }
        return CAAData(flags: flags, tagBytes: tagToken.text, value: value)
    }

    public static func decode(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> CAAData {
        guard length >= 2 else { throw .badRDataLength(type: RecordType.caa.rawValue) }
        let flags = try reader.readUInt8()
        let tagLength = Int(try reader.readUInt8())
        guard tagLength + 2 <= length else { throw .badRDataLength(type: RecordType.caa.rawValue) }
        let tag = try reader.readBytes(tagLength)
        guard isValidTag(tag) else { throw .badRData("CAA tag") }
        let value = try reader.readBytes(length - 2 - tagLength)
        return CAAData(flags: flags, tagBytes: tag, value: value)
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUInt8(flags)
        writer.writeUInt8(UInt8(tag.count))
        writer.writeBytes(tag)
        writer.writeBytes(value)
    }

    public var presentation: String {
        "\(flags) \(String(decoding: tag, as: UTF8.self)) \(TXTData.quoted(value))"
    }
}
