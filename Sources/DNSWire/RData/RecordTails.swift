import NIOCore

extension RData {
    /// The records of an RRset in wire form after their owner name — TYPE, CLASS IN, TTL,
    /// RDLENGTH, RDATA, one record after another — ready to copy into a response. Nil for
    /// types whose RDATA holds names that responses compress (NS, CNAME, PTR, MX, SOA):
    /// those are written name by name.
    public static func encodedRecordTails(type: RecordType, ttl: UInt32, records: [RData]) -> [UInt8]? {
        switch type {
        case .ns, .cname, .ptr, .mx, .soa: return nil
        default: break
        }
        var writer = WireWriter(buffer: ByteBuffer())
        for record in records {
            writer.writeUInt16(type.rawValue)
            writer.writeUInt16(RecordClass.in.rawValue)
            writer.writeUInt32(ttl)
            let lengthAt = writer.count
            writer.writeUInt16(0)
            record.encode(to: &writer)
            writer.setUInt16(UInt16(writer.count - lengthAt - 2), at: lengthAt)
        }
        return Array(writer.buffer.readableBytesView)
    }
}
