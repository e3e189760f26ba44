/// Why a DNS message, name or record could not be decoded from the wire.
///
/// Every decoding failure is one of these cases, so a server can turn any of them into
/// FORMERR (or silence) without guessing what went wrong.
public enum DNSWireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data ended before the structure being read (header, name, record) was complete.
    case truncated
    /// A compression pointer pointed forward, at itself, or through too many hops (RFC 1035 §4.1.4).
    case compressionLoop
    /// A label longer than 63 octets (RFC 1035 §2.3.4).
    case labelTooLong
    /// A name longer than 255 octets in wire form (RFC 1035 §2.3.4).
    case nameTooLong
    /// A label type other than a plain label or a pointer (the 0x40 and 0x80 prefixes, RFC 6891 §5).
    case badLabelType
    /// An RDATA whose contents do not fill exactly its RDLENGTH.
    case badRDataLength(type: UInt16)
    /// An RDATA field outside its allowed range.
    case badRData(String)
    /// An EDNS option that breaks its RFC's rules (e.g. ECS with bits set beyond the source prefix).
    case badOption(String)
    /// More than one OPT record, or an OPT record not at the root (RFC 6891 §6.1.1).
    case badOPT
    /// The names of one message took more decompression steps than a message may.
    case decompressionBudgetExceeded

    public var description: String {
        switch self {
        case .truncated: return "message truncated"
        case .compressionLoop: return "name compression pointer loop or forward pointer"
        case .labelTooLong: return "label longer than 63 octets"
        case .nameTooLong: return "name longer than 255 octets"
        case .badLabelType: return "unsupported label type"
        case .badRDataLength(let type): return "RDATA length does not match its contents (type \(type))"
        case .badRData(let why): return "bad RDATA: \(why)"
        case .badOption(let why): return "bad EDNS option: \(why)"
        case .badOPT: return "bad or duplicate OPT record"
        case .decompressionBudgetExceeded: return "name decompression took more steps than one message may"
        }
    }
}

/// Why a presentation-format (zone file) text could not be read as a name or RDATA.
///
/// `tokenIndex` says which of the RDATA tokens was at fault, so the zone-file layer can
/// point at its line and column.
public struct PresentationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var tokenIndex: Int?

    public init(_ message: String, tokenIndex: Int? = nil) {
        self.message = message
        self.tokenIndex = tokenIndex
    }

    public var description: String { message }
}
