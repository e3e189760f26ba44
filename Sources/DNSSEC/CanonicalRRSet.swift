import DNSWire

/// The canonical form of an RRset that an RRSIG covers (RFC 4034 §6): each record as
/// owner, type, class, original TTL and RDATA, with names in lower case (the owner, and
/// the names inside the RDATA of the types RFC 4034 §6.2 lists), sorted by RDATA as octet
/// strings, duplicates removed. These octets follow the RRSIG's own fields in what is
/// signed, and are the key a signature is cached by.
public enum CanonicalRRSet {
    /// The records of `data` (stored uncompressed RDATA, each after its length) under
    /// `owner` in canonical form.
    public static func octets(owner: DomainName, type: RecordType, ttl: UInt32, data: RecordDataBytes) -> [UInt8] {
        if data.count == 1 || (!hasNames(type) && isAscending(data)) { return direct(owner: owner, type: type, ttl: ttl, data: data) }
        var records: [[UInt8]] = []
        records.reserveCapacity(data.count)
        data.forEachRecord { rdata in records.append(canonicalRData(type, rdata)) }
        return octets(owner: owner, type: type, ttl: ttl, records: records)
    }

    /// Whether RDATA of `type` holds names that the canonical form lower-cases.
    @inline(__always)
    static func hasNames(_ type: RecordType) -> Bool {
        type == .ns || type == .cname || type == .ptr || type == .dname || type == .mx || type == .srv || type == .soa
    }

    /// Whether the stored records are already in canonical order without duplicates (as a
    /// zone's usually are), so they can be written as they come.
    static func isAscending(_ data: RecordDataBytes) -> Bool {
        var previous: UnsafeRawBufferPointer? = nil
        var ascending = true
        data.forEachRecord { rdata in
            guard ascending else { return }
            if let previous, !previous.lexicographicallyPrecedes(rdata) { ascending = false }
            previous = rdata
        }
        return ascending
    }

    /// The records written in one pass into one array: a single record, or records of a
    /// type without names already in order. This runs for every signed answer (it is the
    /// signature cache's key), so the common case allocates once.
    static func direct(owner: DomainName, type: RecordType, ttl: UInt32, data: RecordDataBytes) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((owner.wire.count + 8) * data.count + data.end - data.start)
        var start = 0
        data.forEachRecord { rdata in
            for byte in owner.wire { out.append(DomainName.fold(byte)) }
            append16(type.rawValue, &out)
            append16(RecordClass.in.rawValue, &out)
            append32(ttl, &out)
            start = out.count
            append16(UInt16(rdata.count), &out)
            out.append(contentsOf: rdata)
        }
        guard data.count == 1 else { return out }
        switch type {
        case .ns, .cname, .ptr, .dname:
            foldName(&out, from: start + 2)
        case .mx:
            foldName(&out, from: start + 4)
        case .srv:
            foldName(&out, from: start + 8)
        case .soa:
            foldName(&out, from: foldName(&out, from: start + 2))
        default:
            break
        }
        return out
    }

    /// The same for RDATA already in canonical form.
    public static func octets(owner: DomainName, type: RecordType, ttl: UInt32, records: [[UInt8]]) -> [UInt8] {
        var sorted = records
        if sorted.count > 1 { sorted.sort { $0.lexicographicallyPrecedes($1) } }
        let ownerWire = owner.wire.map(DomainName.fold)
        var out: [UInt8] = []
        out.reserveCapacity(sorted.reduce(0) { $0 + ownerWire.count + 10 + $1.count })
        var previous: [UInt8]? = nil
        for rdata in sorted where rdata != previous {
            previous = rdata
            out.append(contentsOf: ownerWire)
            append16(type.rawValue, &out)
            append16(RecordClass.in.rawValue, &out)
            append32(ttl, &out)
            append16(UInt16(rdata.count), &out)
            out.append(contentsOf: rdata)
        }
        return out
    }

    /// One record's RDATA with its embedded names lower-cased (RFC 4034 §6.2, as amended by
    /// RFC 6840 §5.1 for the types this server stores).
    static func canonicalRData(_ type: RecordType, _ rdata: UnsafeRawBufferPointer) -> [UInt8] {
        var bytes = Array(rdata)
        switch type {
        case .ns, .cname, .ptr, .dname:
            foldName(&bytes, from: 0)
        case .mx:
            foldName(&bytes, from: 2)
        case .srv:
            foldName(&bytes, from: 6)
        case .soa:
            let rname = foldName(&bytes, from: 0)
            foldName(&bytes, from: rname)
        default:
            break
        }
        return bytes
    }

    /// Lower-cases the uncompressed name at `start`; returns where it ends. Length octets
    /// are at most 63 and so are never changed by folding.
    @discardableResult
    static func foldName(_ bytes: inout [UInt8], from start: Int) -> Int {
        var i = start
        while i < bytes.count {
            let length = Int(bytes[i])
            if length == 0 { return i + 1 }
            var k = i + 1
            while k <= i + length && k < bytes.count {
                bytes[k] = DomainName.fold(bytes[k])
                k += 1
            }
            i += 1 + length
        }
        return bytes.count
    }

    static func append16(_ value: UInt16, _ out: inout [UInt8]) {
        out.append(UInt8(value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }

    static func append32(_ value: UInt32, _ out: inout [UInt8]) {
        out.append(UInt8(value >> 24))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }
}
