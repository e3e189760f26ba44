import Authority
import DNSWire
import NIOCore
import Zones

/// One record as a transfer carries it: owner, type, TTL and uncompressed RDATA. What an
/// IXFR difference keeps; AXFR reads records straight from the zone instead.
public struct TransferRecord: Hashable, Sendable {
    public var owner: DomainName
    public var type: RecordType
    public var ttl: UInt32
    public var rdata: [UInt8]

    public init(owner: DomainName, type: RecordType, ttl: UInt32, rdata: [UInt8]) {
        self.owner = owner
        self.type = type
        self.ttl = ttl
        self.rdata = rdata
    }

    /// The zone's SOA record (TTL as written, not the negative TTL).
    public init(soaOf zone: Zone) {
        self.init(owner: zone.origin, type: .soa, ttl: zone.soaTTL, rdata: RData.soa(zone.soa).uncompressedWire)
    }

    /// Octets this record holds in memory, for the history's byte bound.
    var footprint: Int { owner.wire.count + rdata.count + 16 }
}

/// Writes records into a transfer message: names compressed where RFC 3597 §4 allows it
/// (NS, CNAME, PTR, MX and SOA RDATA), everything else as stored.
enum TransferRecordWriter {
    static func write(owner: DomainName, type: RecordType, ttl: UInt32, rdata: UnsafeRawBufferPointer, into writer: inout WireWriter) {
        writer.writeName(owner)
        writer.writeUInt16(type.rawValue)
        writer.writeUInt16(RecordClass.in.rawValue)
        writer.writeUInt32(ttl)
        let lengthAt = writer.count
        writer.writeUInt16(0)
        switch type {
        case .ns, .cname, .ptr, .mx, .soa, .srv:
            // As in answers: the encoder's one way of writing stored names.
            ResponseEncoder.writeWithNames(type, rdata, &writer)
        default:
            writer.writeBytes(rdata)
        }
        writer.setUInt16(UInt16(writer.count - lengthAt - 2), at: lengthAt)
    }

    static func write(_ record: TransferRecord, into writer: inout WireWriter) {
        record.rdata.withUnsafeBytes { write(owner: record.owner, type: record.type, ttl: record.ttl, rdata: $0, into: &writer) }
    }
}
