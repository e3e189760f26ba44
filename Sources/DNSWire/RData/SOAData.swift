/// SOA RDATA (RFC 1035 §3.3.13); `minimum` is the negative-caching TTL of RFC 2308 §4.
public struct SOAData: RDataCodable {
    public var mname: DomainName
    public var rname: DomainName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32

    public init(mname: DomainName, rname: DomainName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32) {
        self.mname = mname
        self.rname = rname
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }

    public static func parse(_ reader: inout PresentationReader) throws(PresentationError) -> SOAData {
        SOAData(
            mname: try reader.name("SOA MNAME"),
            rname: try reader.name("SOA RNAME"),
            serial: try reader.integer("SOA serial"),
            refresh: try reader.timeValue("SOA refresh"),
            retry: try reader.timeValue("SOA retry"),
            expire: try reader.timeValue("SOA expire"),
            minimum: try reader.timeValue("SOA minimum"))
    }

    public static func decode(_ reader: inout WireReader, length: Int) throws(DNSWireError) -> SOAData {
        let start = reader.offset
        let soa = SOAData(
            mname: try reader.readName(), rname: try reader.readName(),
            serial: try reader.readUInt32(), refresh: try reader.readUInt32(), retry: try reader.readUInt32(),
            expire: try reader.readUInt32(), minimum: try reader.readUInt32())
        guard reader.offset - start == length else { throw .badRDataLength(type: RecordType.soa.rawValue) }
        return soa
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeName(mname)
        writer.writeName(rname)
        writer.writeUInt32(serial)
        writer.writeUInt32(refresh)
        writer.writeUInt32(retry)
        writer.writeUInt32(expire)
        writer.writeUInt32(minimum)
    }

    public var presentation: String {
        "\(mname) \(rname) \(serial) \(refresh) \(retry) \(expire) \(minimum)"
    }
}
