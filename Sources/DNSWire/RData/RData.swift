import NIOCore

/// The data of one resource record, typed for every RR type Switchyard serves and opaque
/// (RFC 3597) for the rest.
public enum RData: Hashable, Sendable {
    case a(IPv4Address)
    case aaaa(IPv6Address)
    case ns(DomainName)
    case cname(DomainName)
    case ptr(DomainName)
    case soa(SOAData)
    case mx(MXData)
    case txt(TXTData)
    case spf(TXTData)
    case srv(SRVData)
    case caa(CAAData)
    case unknown(UnknownRData)

    public var type: RecordType {
        switch self {
        case .a: return .a
        case .aaaa: return .aaaa
        case .ns: return .ns
        case .cname: return .cname
        case .ptr: return .ptr
        case .soa: return .soa
        case .mx: return .mx
        case .txt: return .txt
        case .spf: return .spf
        case .srv: return .srv
        case .caa: return .caa
        case .unknown(let u): return u.type
        }
    }

    /// Types with a typed presentation form here; others use `\#` only.
    public static let typedTypes: Set<RecordType> = [.a, .aaaa, .ns, .cname, .ptr, .soa, .mx, .txt, .spf, .srv, .caa]

    /// Parses RDATA tokens of `type`, in the type's own syntax or RFC 3597's `\#` form.
    public static func parse(type: RecordType, tokens: [PresentationToken], origin: DomainName?) throws(PresentationError) -> RData {
        var reader = PresentationReader(tokens, origin: origin)
        if type.isMetaType { throw PresentationError("\(type) is a meta-type and cannot appear in a zone") }
        if let first = tokens.first, first.text == Array("\\#".utf8), !first.isQuoted {
            let bytes = try UnknownRData.parseGeneric(&reader)
            guard typedTypes.contains(type) else { return .unknown(UnknownRData(type: type, bytes: bytes)) }
            do {
                return try RData.decode(type: type, fromUncompressed: bytes)
            } catch {
                throw PresentationError("generic RDATA is not valid \(type): \(error)", tokenIndex: 0)
            }
        }
        guard typedTypes.contains(type) else {
            throw PresentationError("type \(type) is only supported in the RFC 3597 form (\\# LENGTH HEX)")
        }
        guard !tokens.isEmpty else { throw PresentationError("missing RDATA for \(type)") }
        let rdata: RData
        switch type {
        case .a: rdata = .a(try IPv4Address.parse(&reader))
        case .aaaa: rdata = .aaaa(try IPv6Address.parse(&reader))
        case .ns: rdata = .ns(try reader.name("NS name server"))
        case .cname: rdata = .cname(try reader.name("CNAME target"))
        case .ptr: rdata = .ptr(try reader.name("PTR target"))
        case .soa: rdata = .soa(try SOAData.parse(&reader))
        case .mx: rdata = .mx(try MXData.parse(&reader))
        case .txt: rdata = .txt(try TXTData.parse(&reader))
        case .spf: rdata = .spf(try TXTData.parse(&reader))
        case .srv: rdata = .srv(try SRVData.parse(&reader))
        default: rdata = .caa(try CAAData.parse(&reader))
        }
        try reader.expectEnd(type.mnemonic)
        return rdata
    }

    /// Decodes exactly `length` octets of RDATA of `type` at the reader's position.
    public static func decode(type: RecordType, from reader: inout WireReader, length: Int) throws(DNSWireError) -> RData {
        guard reader.remaining >= length else { throw .truncated }
        let end = reader.offset + length
        let rdata: RData
        do {
            switch type {
            case .a: rdata = .a(try IPv4Address.decode(&reader, length: length))
            case .aaaa: rdata = .aaaa(try IPv6Address.decode(&reader, length: length))
            case .ns: rdata = .ns(try DomainName.decode(&reader, length: length))
            case .cname: rdata = .cname(try DomainName.decode(&reader, length: length))
            case .ptr: rdata = .ptr(try DomainName.decode(&reader, length: length))
            case .soa: rdata = .soa(try SOAData.decode(&reader, length: length))
            case .mx: rdata = .mx(try MXData.decode(&reader, length: length))
            case .txt: rdata = .txt(try TXTData.decode(&reader, length: length))
            case .spf: rdata = .spf(try TXTData.decode(&reader, length: length))
            case .srv: rdata = .srv(try SRVData.decode(&reader, length: length))
            case .caa: rdata = .caa(try CAAData.decode(&reader, length: length))
            default: rdata = .unknown(UnknownRData(type: type, bytes: try reader.readBytes(length)))
            }
        } catch .badRDataLength {
            // Shared decoders (names for NS/CNAME/PTR, TXT for SPF) cannot know the type.
            throw .badRDataLength(type: type.rawValue)
        }
        guard reader.offset == end else { throw .badRDataLength(type: type.rawValue) }
        return rdata
    }

    /// Decodes RDATA octets that stand alone (no message around them to point into).
    public static func decode(type: RecordType, fromUncompressed bytes: [UInt8]) throws(DNSWireError) -> RData {
        var reader = WireReader(message: ByteBuffer(bytes: bytes))
        return try decode(type: type, from: &reader, length: bytes.count)
    }

    public func encode(to writer: inout WireWriter) {
        switch self {
        case .a(let v): v.encode(to: &writer)
        case .aaaa(let v): v.encode(to: &writer)
        case .ns(let v), .cname(let v), .ptr(let v): v.encode(to: &writer)
        case .soa(let v): v.encode(to: &writer)
        case .mx(let v): v.encode(to: &writer)
        case .txt(let v), .spf(let v): v.encode(to: &writer)
        case .srv(let v): v.encode(to: &writer)
        case .caa(let v): v.encode(to: &writer)
        case .unknown(let v): writer.writeBytes(v.bytes)
        }
    }

    /// The most RDATA one record can hold: RDLENGTH is 16 bits (RFC 1035 §3.2.1).
    public static let maximumLength = 65535

    /// The length of the RDATA in uncompressed wire form, worked out without encoding it
    /// (an upper bound of what any response writes, since compression only shortens it).
    /// Presentation form can describe more than `maximumLength` octets, which no record
    /// can carry: loaders compare with it before anything is encoded.
    public var uncompressedLength: Int {
        switch self {
        case .a: return 4
        case .aaaa: return 16
        case .ns(let n), .cname(let n), .ptr(let n): return n.wire.count
        case .soa(let s): return s.mname.wire.count + s.rname.wire.count + 20
        case .mx(let m): return 2 + m.exchange.wire.count
        case .txt(let t), .spf(let t): return t.strings.reduce(0) { $0 + 1 + $1.count }
        case .srv(let s): return 6 + s.target.wire.count
        case .caa(let c): return 2 + c.tag.count + c.value.count
        case .unknown(let u): return u.bytes.count
        }
    }

    /// The uncompressed wire octets (for RFC 3597 output and equality of stored data).
    public var uncompressedWire: [UInt8] {
        var writer = WireWriter(buffer: ByteBuffer())
        switch self {
        case .ns(let n), .cname(let n), .ptr(let n): writer.writeName(n, compress: false)
        case .soa(let s):
            writer.writeName(s.mname, compress: false)
            writer.writeName(s.rname, compress: false)
            for v in [s.serial, s.refresh, s.retry, s.expire, s.minimum] { writer.writeUInt32(v) }
        case .mx(let m):
            writer.writeUInt16(m.preference)
            writer.writeName(m.exchange, compress: false)
        default: encode(to: &writer)
        }
        return Array(writer.buffer.readableBytesView)
    }

    public var presentation: String {
        switch self {
        case .a(let v): return v.presentation
        case .aaaa(let v): return v.presentation
        case .ns(let v), .cname(let v), .ptr(let v): return v.presentation
        case .soa(let v): return v.presentation
        case .mx(let v): return v.presentation
        case .txt(let v), .spf(let v): return v.presentation
        case .srv(let v): return v.presentation
        case .caa(let v): return v.presentation
        case .unknown(let v): return v.presentation
        }
    }

    /// The name whose addresses belong in the additional section (RFC 1034 §4.3.2 step 6):
    /// NS and MX targets (RFC 1035 §3.3.9, §3.3.11) and SRV targets (RFC 2782).
    public var additionalSectionName: DomainName? {
        switch self {
        case .ns(let n): return n
        case .mx(let m): return m.exchange
        case .srv(let s): return s.target
        default: return nil
        }
    }
}
