import DNSWire
import NIOCore

/// Writes a `Response` as a DNS message: the query's question echoed with its spelling,
/// names compressed, the OPT record with the echoed Client Subnet option, and TC=1 when
/// the answer or authority section does not fit the size limit: the whole RRsets that fit
/// are kept and nothing after them is written (RFC 1035 §4.2.1, RFC 6891 §7, RFC 2181 §9;
/// Knot and BIND truncate the same way).
public enum ResponseEncoder {
    /// Our advertised UDP payload size (DNS Flag Day 2020).
    public static let udpPayloadSize: UInt16 = 1232

    /// The limit a UDP response must fit: min(client's EDNS size, 1232), or 512 without EDNS.
    public static func udpLimit(for query: Query) -> Int {
        guard let edns = query.edns else { return 512 }
        return max(512, min(Int(edns.udpPayloadSize), Int(udpPayloadSize)))
    }

    /// Encodes `response` to `query` into `buffer`, within `limit` octets. Returns whether
    /// the message was truncated.
    @discardableResult
    public static func encode(_ response: Response, to query: Query, limit: Int, into buffer: inout ByteBuffer) -> Bool {
        // Moved, not copied: the writer holds the only reference, so writing does not copy
        // the caller's storage.
        var writer = WireWriter(buffer: consume buffer)
        defer { buffer = writer.buffer }
        var flags = Header.qrMask | (query.flags & echoedFlags)
        if response.authoritative { flags |= Header.aaMask }
        flags |= response.rcode.rawValue & 0xF
        writer.writeUInt16(query.id)
        writer.writeUInt16(flags)
        writer.writeUInt16(1)
        writer.writeUInt32(0)
        writer.writeUInt16(0)
        writer.writeQuestionName(query.question.name)
        writer.writeUInt16(query.question.type.rawValue)
        writer.writeUInt16(query.question.recordClass.rawValue)
        let opt = optRecord(for: query, rcode: response.rcode, scope: response.clientSubnetScope)
        let budget = limit - (opt.map(optSize) ?? 0)
        var truncated = true
        var counts: (UInt16, UInt16, UInt16) = (0, 0, 0)
        let answers = write(response.answer, &writer, budget: budget)
        counts.0 = answers.count
        if answers.complete {
            let authority = write(response.authority, &writer, budget: budget)
            counts.1 = authority.count
            if authority.complete {
                (counts.2, truncated) = writeAdditional(response, &writer, budget: budget)
            }
        }
        if let opt {
            opt.encode(to: &writer)
            counts.2 += 1
        }
        if truncated { writer.setUInt16(flags | Header.tcMask, at: 2) }
        writer.setUInt16(counts.0, at: 6)
        writer.setUInt16(counts.1, at: 8)
        writer.setUInt16(counts.2, at: 10)
        return truncated
    }

    /// Header bits a response copies from the request: RD and the opcode. CD is not
    /// copied: an authoritative response clears it (RFC 4035 §3.1.6).
    static let echoedFlags: UInt16 = Header.rdMask | 0x7800

    /// Writes whole RRsets while they fit; `complete` is false when one did not (it and
    /// the sets after it are left out, and the caller truncates).
    static func write(_ sets: [ResponseRRSet], _ writer: inout WireWriter, budget: Int) -> (count: UInt16, complete: Bool) {
        var count: UInt16 = 0
        for set in sets {
            let mark = writer.mark
            writeRRSet(set, &writer)
            if writer.count > budget {
                writer.rollBack(to: mark)
                return (count, false)
            }
            count += UInt16(set.count)
        }
        return (count, true)
    }

    /// Writes the additional section: each set that fits, skipping one that does not
    /// (and the rest of its owner's addresses) but carrying on with smaller ones. Only
    /// required glue that does not fit truncates the response (RFC 9471).
    static func writeAdditional(_ response: Response, _ writer: inout WireWriter, budget: Int) -> (count: UInt16, truncated: Bool) {
        var count: UInt16 = 0
        var truncated = false
        var skippedOwner: DomainName? = nil
        for (index, set) in response.additional.enumerated() {
            if let skippedOwner, set.owner == skippedOwner { continue }
            let mark = writer.mark
            writeRRSet(set, &writer)
            if writer.count > budget {
                writer.rollBack(to: mark)
                truncated = truncated || index < response.requiredGlue
                skippedOwner = set.owner
                continue
            }
            skippedOwner = nil
            count += UInt16(set.count)
        }
        return (count, truncated)
    }

    @inline(__always)
    static func writeRRSet(_ set: ResponseRRSet, _ writer: inout WireWriter) {
        let type = set.type
        let hasNames = type == .ns || type == .cname || type == .ptr || type == .mx || type == .soa || type == .srv
        set.data.forEachRecord { rdata in
            writer.writeName(set.owner)
            writer.writeUInt16(type.rawValue)
            writer.writeUInt16(RecordClass.in.rawValue)
            writer.writeUInt32(set.ttl)
            if hasNames {
                let lengthAt = writer.count
                writer.writeUInt16(0)
                writeWithNames(type, rdata, &writer)
                writer.setUInt16(UInt16(writer.count - lengthAt - 2), at: lengthAt)
            } else {
                writer.writeUInt16(UInt16(rdata.count))
                writer.writeBytes(rdata)
            }
        }
    }

    /// Writes stored (uncompressed) RDATA whose names matter to compression: those of NS,
    /// CNAME, PTR, MX and SOA are compressed (RFC 3597 §4); an SRV target is written whole
    /// (RFC 2782) yet, like every name written, can be pointed at by later names.
    public static func writeWithNames(_ type: RecordType, _ rdata: UnsafeRawBufferPointer, _ writer: inout WireWriter) {
        switch type {
        case .srv:
            writer.writeBytes(UnsafeRawBufferPointer(rebasing: rdata[0..<6]))
            writer.writeName(uncompressed: UnsafeRawBufferPointer(rebasing: rdata[6...]), compress: false)
        case .mx:
            writer.writeBytes(UnsafeRawBufferPointer(rebasing: rdata[0..<2]))
            writer.writeName(uncompressed: UnsafeRawBufferPointer(rebasing: rdata[2...]))
        case .soa:
            let mname = nameLength(rdata, from: 0)
            let rname = nameLength(rdata, from: mname)
            writer.writeName(uncompressed: UnsafeRawBufferPointer(rebasing: rdata[0..<mname]))
            writer.writeName(uncompressed: UnsafeRawBufferPointer(rebasing: rdata[mname..<(mname + rname)]))
            writer.writeBytes(UnsafeRawBufferPointer(rebasing: rdata[(mname + rname)...]))
        default:
            writer.writeName(uncompressed: rdata)
        }
    }

    /// The length of the uncompressed name starting at `start`.
    public static func nameLength(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        while bytes[i] != 0 { i += 1 + Int(bytes[i]) }
        return i + 1 - start
    }

    /// The OPT record of a response: our payload size, the DO bit echoed (RFC 3225 §3),
    /// the upper rcode bits, and the client's ECS option with our scope (RFC 7871 §7.2.1).
    static func optRecord(for query: Query, rcode: ResponseCode, scope: UInt8) -> EDNS? {
        guard let edns = query.edns else { return nil }
        var options: [EDNSOption] = []
        if var subnet = query.clientSubnet {
            subnet.scopePrefixLength = scope
            options.append(EDNSOption(clientSubnet: subnet))
        }
        var opt = EDNS(udpPayloadSize: udpPayloadSize, extendedRCode: UInt8(rcode.rawValue >> 4),
                       version: 0, dnssecOK: edns.dnssecOK, options: options)
        // RFC 9824 §4: a server that understands CO echoes it.
        opt.compactOK = edns.dnssecOK && edns.compactOK
        return opt
    }

    static func optSize(_ opt: EDNS) -> Int {
        11 + opt.options.reduce(0) { $0 + 4 + $1.data.count }
    }

    /// A header-only reply for a request that cannot be answered (FORMERR, NOTIMP), or a
    /// BADVERS reply with an OPT record (RFC 6891 §6.1.3); with `truncated`, the empty TC=1
    /// reply rate limiting slips to a client so it asks again over TCP.
    public static func encodeRejection(id: UInt16, requestFlags: UInt16, rcode: ResponseCode, query: Query? = nil,
                                       truncated: Bool = false, into buffer: inout ByteBuffer) {
        // Moved, not copied: the writer holds the only reference, so writing does not copy
        // the caller's storage.
        var writer = WireWriter(buffer: consume buffer)
        defer { buffer = writer.buffer }
        let flags = Header.qrMask | (requestFlags & echoedFlags) | (rcode.rawValue & 0xF) | (truncated ? Header.tcMask : 0)
        writer.writeUInt16(id)
        writer.writeUInt16(flags)
        writer.writeUInt16(query == nil ? 0 : 1)
        writer.writeUInt32(0)
        writer.writeUInt16(query?.edns == nil ? 0 : 1)
        if let query {
            writer.writeName(query.question.name, compress: false)
            writer.writeUInt16(query.question.type.rawValue)
            writer.writeUInt16(query.question.recordClass.rawValue)
            if let edns = query.edns {
                EDNS(udpPayloadSize: udpPayloadSize, extendedRCode: UInt8(rcode.rawValue >> 4), version: 0,
                     dnssecOK: edns.dnssecOK).encode(to: &writer)
            }
        }
    }
}
