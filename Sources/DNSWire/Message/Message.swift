import NIOCore

/// A whole DNS message with every section decoded: what clients and tests read, and what
/// `encode` writes. (The server's hot path reads requests as `Query` instead.)
public struct Message: Hashable, Sendable {
    public var header: Header
    public var questions: [Question]
    public var answers: [ResourceRecord]
    public var authority: [ResourceRecord]
    /// The additional section without the OPT pseudo-record, which is `edns`.
    public var additional: [ResourceRecord]
    public var edns: EDNS?

    public init(header: Header, questions: [Question] = [], answers: [ResourceRecord] = [],
                authority: [ResourceRecord] = [], additional: [ResourceRecord] = [], edns: EDNS? = nil) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authority = authority
        self.additional = additional
        self.edns = edns
    }

    /// A query for `name`/`type`, with EDNS when `edns` is given.
    public static func query(id: UInt16, name: DomainName, type: RecordType, recursionDesired: Bool = false, edns: EDNS? = nil) -> Message {
        var header = Header(id: id)
        header.recursionDesired = recursionDesired
        return Message(header: header, questions: [Question(name: name, type: type)], edns: edns)
    }

    /// The full 12-bit response code: the header's four bits and the OPT record's eight.
    public var responseCode: ResponseCode {
        ResponseCode(rawValue: UInt16(edns?.extendedRCode ?? 0) << 4 | UInt16(header.rcodeLow))
    }

    /// Decodes every section; any malformation is a `DNSWireError`.
    public init(decoding buffer: ByteBuffer) throws(DNSWireError) {
        var reader = WireReader(message: buffer)
        guard reader.count >= 12 else { throw .truncated }
        var header = Header(id: try reader.readUInt16(), flags: try reader.readUInt16())
        header.questionCount = try reader.readUInt16()
        header.answerCount = try reader.readUInt16()
        header.authorityCount = try reader.readUInt16()
        header.additionalCount = try reader.readUInt16()
        self.header = header
        questions = []
        for _ in 0..<header.questionCount {
            let name = try reader.readName()
            let type = RecordType(try reader.readUInt16())
            let rrClass = RecordClass(rawValue: try reader.readUInt16())
            questions.append(Question(name: name, type: type, recordClass: rrClass))
        }
        answers = try Message.readRecords(&reader, count: header.answerCount, edns: nil)
        authority = try Message.readRecords(&reader, count: header.authorityCount, edns: nil)
        var edns: EDNS? = nil
        additional = try Message.readRecords(&reader, count: header.additionalCount, edns: &edns)
        self.edns = edns
        guard reader.remaining == 0 else { throw .badRData("trailing octets after the last record") }
    }

    static func readRecords(_ reader: inout WireReader, count: UInt16, edns: UnsafeMutablePointer<EDNS?>?) throws(DNSWireError) -> [ResourceRecord] {
        var records: [ResourceRecord] = []
        for _ in 0..<count {
            let name = try reader.readName()
            let type = RecordType(try reader.readUInt16())
            let rrClass = try reader.readUInt16()
            let ttl = try reader.readUInt32()
            let length = Int(try reader.readUInt16())
            if type == .opt {
                guard let edns, edns.pointee == nil, name.isRoot else { throw .badOPT }
                edns.pointee = EDNS(rrClass: rrClass, ttl: ttl, options: try EDNS.decodeOptions(&reader, length: length))
                continue
            }
            let rdata = try RData.decode(type: type, from: &reader, length: length)
            records.append(ResourceRecord(name: name, ttl: ttl, recordClass: RecordClass(rawValue: rrClass), rdata: rdata))
        }
        return records
    }

    static func readRecords(_ reader: inout WireReader, count: UInt16, edns: inout EDNS?) throws(DNSWireError) -> [ResourceRecord] {
        var found: EDNS? = nil
        let records = try withUnsafeMutablePointer(to: &found) { (pointer) throws(DNSWireError) -> [ResourceRecord] in
            try readRecords(&reader, count: count, edns: pointer)
        }
        edns = found
        return records
    }

    /// Encodes every section with name compression (no size limit: for clients and tests).
    public func encode() -> ByteBuffer {
        var writer = WireWriter(buffer: ByteBuffer())
        writer.writeUInt16(header.id)
        writer.writeUInt16(header.flags)
        writer.writeUInt16(UInt16(questions.count))
        writer.writeUInt16(UInt16(answers.count))
        writer.writeUInt16(UInt16(authority.count))
        writer.writeUInt16(UInt16(additional.count + (edns == nil ? 0 : 1)))
        for q in questions {
            writer.writeName(q.name)
            writer.writeUInt16(q.type.rawValue)
            writer.writeUInt16(q.recordClass.rawValue)
        }
        for record in answers + authority + additional { record.encode(to: &writer) }
        edns?.encode(to: &writer)
        return writer.buffer
    }
}

extension ResourceRecord {
    /// Writes owner, type, class, TTL, RDLENGTH and RDATA.
    public func encode(to writer: inout WireWriter) {
        writer.writeName(name)
        writer.writeUInt16(type.rawValue)
        writer.writeUInt16(recordClass.rawValue)
        writer.writeUInt32(ttl)
        let lengthAt = writer.count
        writer.writeUInt16(0)
        rdata.encode(to: &writer)
        writer.setUInt16(UInt16(writer.count - lengthAt - 2), at: lengthAt)
    }
}
