/// MX RDATA (RFC 1035 §3.3.9): a preference and the mail exchanger's name.
public struct MXData: RDataCodable {
    public var preference: UInt16
    public var exchange: DomainName

    public init(preference: UInt16, exchange: DomainName) {
        self.preference = preference
        self.exchange = exchange
    }

    public static func parse(_ reader: inout PresentationReader) throws(PresentationError) -> MXData {
        MXData(preference: try reader.integer("MX preference"), exchange: try reader.name("MX exchange"))
    }

    public static func decode(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> MXData {
        let start = reader.offset
        let mx = MXData(preference: try reader.readUInt16(), exchange: try reader.readName())
        guard reader.offset - start == length else { throw .badRDataLength(type: RecordType.mx.rawValue) }
        return mx
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUInt16(preference)
        writer.writeName(exchange)
    }

    public var presentation: String { "\(preference) \(exchange)" }
}
