import NIOCore

/// A request as the server's query path needs it: header fields, the one question, and
/// the EDNS parameters — decoded without building the full `Message`.
///
/// Decoding follows what Knot and NSD do with odd requests: responses and runts are
/// dropped, anything else malformed is a FORMERR, and every section must be well framed
/// (only the question and the OPT record are read for their contents).
public struct Query: Sendable {
    public var id: UInt16
    /// The request's flags word (opcode, RD and CD are echoed in the response).
    public var flags: UInt16
    public var question: Question
    /// Offset just past the question, so the response can copy the question's octets.
    public var questionEnd: Int
    public var edns: EDNS?
    /// The decoded Client Subnet option, when the request carries a valid one.
    public var clientSubnet: ClientSubnet?

    public var opcode: Opcode { Opcode(rawValue: UInt8((flags >> 11) & 0xF)) }

    /// Why a request cannot be answered normally.
    public enum Rejection: Error, Sendable, Equatable {
        /// No reply at all: too short for a header, or a response (QR=1).
        case drop
        /// Reply with only a header carrying `rcode`, echoing id and flags.
        case reply(id: UInt16, flags: UInt16, rcode: ResponseCode)
        /// A well-formed request with an opcode other than QUERY: NOTIMP, with the question
        /// and an OPT record echoed as RFC 6891 §7 asks.
        case notImplemented(Query)
        /// A QUERY signed with TSIG (RFC 8945): answered like any other, then its signature
        /// checked and the reply signed, by the server's transfer code.
        case signed(Query)

        public static func == (lhs: Rejection, rhs: Rejection) -> Bool {
            switch (lhs, rhs) {
            case (.drop, .drop): return true
            case let (.reply(a, b, c), .reply(x, y, z)): return a == x && b == y && c == z
            case let (.notImplemented(p), .notImplemented(q)), let (.signed(p), .signed(q)):
                return p.id == q.id && p.flags == q.flags && p.question == q.question
            default: return false
            }
        }
    }

    /// Decodes only what answering needs: the header, the one question and the OPT record.
    /// A QUERY with records in its answer or authority section is a FORMERR (SPEC §5; an
    /// IXFR request, whose authority section carries the client's SOA, RFC 1995 §3, is the
    /// exception). Names in the additional section are stepped over, never decompressed,
    /// so the work per query is linear in its size whatever its pointers do.
    public init(decoding buffer: ByteBuffer) throws(Rejection) {
        var reader = WireReader(message: buffer)
        guard reader.count >= 12 else { throw .drop }
        let id = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self)!
        let flags = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self)!
        guard flags & Header.qrMask == 0 else { throw .drop }
        let opcode = (flags >> 11) & 0xF
        // Other opcodes are parsed too, so their NOTIMP can echo question and OPT; one that
        // does not parse still gets NOTIMP rather than FORMERR.
        let formErr = opcode == 0 ? Rejection.reply(id: id, flags: flags, rcode: .formErr)
                                  : Rejection.reply(id: id, flags: flags, rcode: .notImp)
        do {
            try reader.skip(4)
            let qd = try reader.readUInt16()
            let an = try reader.readUInt16()
            let ns = try reader.readUInt16()
            let ar = try reader.readUInt16()
            guard qd == 1 else { throw formErr }
            let name = try reader.readName()
            let type = RecordType(try reader.readUInt16())
            let rrClass = RecordClass(rawValue: try reader.readUInt16())
            if opcode == 0 && (an != 0 || (ns != 0 && type != .ixfr)) { throw formErr }
            self.id = id
            self.flags = flags
            question = Question(name: name, type: type, recordClass: rrClass)
            questionEnd = reader.offset
            for _ in 0..<(Int(an) + Int(ns)) { try Query.skipRecord(&reader) }
            var edns: EDNS? = nil
            var signed = false
            for _ in 0..<ar {
                let ownerIsRoot = reader.offset < reader.count && reader.byte(at: reader.offset) == 0
                try reader.skipName()
                let type = try reader.readUInt16()
                let rrClass = try reader.readUInt16()
                let ttl = try reader.readUInt32()
                let length = Int(try reader.readUInt16())
                if type == RecordType.opt.rawValue {
                    guard edns == nil, ownerIsRoot else { throw formErr }
                    edns = EDNS(rrClass: rrClass, ttl: ttl, options: try EDNS.decodeOptions(&reader, length: length))
                } else {
                    // TSIG (250): only noted here; the transfer code reads and checks it.
                    signed = signed || type == 250
                    try reader.skip(length)
                }
            }
            guard reader.remaining == 0 else { throw formErr }
            self.edns = edns
            clientSubnet = try edns?.clientSubnet()
            if signed && opcode == 0 { throw Rejection.signed(self) }
        } catch let rejection as Rejection {
            throw rejection
        } catch {
            throw formErr
        }
        if opcode != 0 { throw .notImplemented(self) }
    }

    static func skipRecord(_ reader: inout WireReader) throws(DNSWireError) {
        try reader.skipName()
        try reader.skip(8)
        let length = Int(try reader.readUInt16())
        try reader.skip(length)
    }
}
