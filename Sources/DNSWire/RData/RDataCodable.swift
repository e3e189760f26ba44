/// The RDATA of one record type, in both of its forms: master-file presentation
/// (RFC 1035 §5.1 and the type's own RFC) and wire format.
public protocol RDataCodable: Hashable, Sendable {
    /// Reads the type's fields from tokens; the caller checks that no tokens are left over.
    static func parse(_ reader: inout PresentationReader) throws(PresentationError) -> Self
    /// Reads exactly `length` octets of RDATA.
    static func decode(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> Self
    /// Writes the RDATA (without RDLENGTH), compressing names where the type's RFC allows it.
    func encode(to writer: inout WireWriter)
    /// The RDATA fields in presentation form, as `named-checkzone -D` prints them.
    var presentation: String { get }
}

extension IPv4Address: RDataCodable {
    public static func parse(_ reader: inout PresentationReader) throws(PresentationError) -> IPv4Address {
        let token = try reader.next("IPv4 address")
        guard !token.isQuoted, let address = IPv4Address(presentation: token.text) else {
            throw reader.error("'\(token.string)' is not an IPv4 address", at: reader.index - 1)
        }
        return address
    }

    public static func decode(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> IPv4Address {
        guard length == 4 else { throw .badRDataLength(type: RecordType.a.rawValue) }
        return IPv4Address(try reader.readUInt32())
    }

    public func encode(to writer: inout WireWriter) { writer.writeUInt32(value) }
    public var presentation: String { description }
}

extension IPv6Address: RDataCodable {
    public static func parse(_ reader: inout PresentationReader) throws(PresentationError) -> IPv6Address {
        let token = try reader.next("IPv6 address")
        guard !token.isQuoted, let address = IPv6Address(presentation: token.text) else {
            throw reader.error("'\(token.string)' is not an IPv6 address", at: reader.index - 1)
        }
        return address
    }

    public static func decode(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> IPv6Address {
        guard length == 16 else { throw .badRDataLength(type: RecordType.aaaa.rawValue) }
        let high = UInt64(try reader.readUInt32()) << 32 | UInt64(try reader.readUInt32())
        let low = UInt64(try reader.readUInt32()) << 32 | UInt64(try reader.readUInt32())
        return IPv6Address(high: high, low: low)
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUInt64(high)
        writer.writeUInt64(low)
    }

    public var presentation: String { description }
}

/// NS, CNAME and PTR: RDATA that is one domain name (RFC 1035 §3.3.11, §3.3.1, §3.3.12),
/// compressed on output as RFC 3597 §4 allows for these well-known types.
extension DomainName: RDataCodable {
    public static func parse(_ reader: inout PresentationReader) throws(PresentationError) -> DomainName {
        try reader.name("target name")
    }

    public static func decode(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> DomainName {
        let start = reader.offset
        let name = try reader.readName()
        guard reader.offset - start == length else { throw .badRDataLength(type: 0) }
        return name
    }

    public func encode(to writer: inout WireWriter) { writer.writeName(self, compress: true) }
}
