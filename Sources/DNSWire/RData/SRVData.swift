/// SRV RDATA (RFC 2782); the target is never compressed, as that RFC requires.
public struct SRVData: RDataCodable {
    public var priority: UInt16
    public var weight: UInt16
    public var port: UInt16
    public var target: DomainName

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: DomainName) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }

    public static func parse(_ reader: inout PresentationReader) throws(PresentationError) -> SRVData {
        SRVData(priority: try reader.integer("SRV priority"), weight: try reader.integer("SRV weight"),
                port: try reader.integer("SRV port"), target: try reader.name("SRV target"))
    }

    public static func decode(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> SRVData {
        let start = reader.offset
        let srv = SRVData(priority: try reader.readUInt16(), weight: try reader.readUInt16(),
                          port: try reader.readUInt16(), target: try reader.readName())
        guard reader.offset - start == length else { throw .badRDataLength(type: RecordType.srv.rawValue) }
        return srv
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeUInt16(priority)
        writer.writeUInt16(weight)
        writer.writeUInt16(port)
        writer.writeName(target, compress: false)
    }

    public var presentation: String { "\(priority) \(weight) \(port) \(target)" }
}
