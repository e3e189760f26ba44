import NIOCore

extension RData {
    /// The records of an RRset in wire form after their owner name — TYPE, CLASS IN, TTL,
    /// RDLENGTH, RDATA, one record after another — ready to copy into a response. Nil for
    /// types whose RDATA holds names that responses compress (NS, CNAME, PTR, MX, SOA):
    /// those are written name by name.
    public static func encodedRecordTails(type: RecordType, ttl: UInt32, records: [RData]) -> [UInt8]? {
        switch type {
        case .ns, .cname, .ptr, .mx, .soa: return nil
        case .a, .aaaa:
            // The bulk of any zone: built straight into an array.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(records.count * (type == .a ? 14 : 26))
            for record in records {
                bytes.append(UInt8(type.rawValue >> 8)); bytes.append(UInt8(type.rawValue & 0xFF))
                bytes.append(0); bytes.append(1)
                for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: ttl >> UInt32(shift))) }
                switch record {
                case .a(let address):
                    bytes.append(0); bytes.append(4)
                    for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: address.value >> UInt32(shift))) }
                case .aaaa(let address):
                    bytes.append(0); bytes.append(16)
                    for half in [address.high, address.low] {
                        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: half >> UInt64(shift))) }
                    }
                default:
                    return nil
                }
            }
            return bytes
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
