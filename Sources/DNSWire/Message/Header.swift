/// The fixed 12-octet DNS header (RFC 1035 §4.1.1) with its flag bits as properties.
public struct Header: Hashable, Sendable {
    public var id: UInt16
    /// The second 16-bit word: QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE.
    public var flags: UInt16
    public var questionCount: UInt16 = 0
    public var answerCount: UInt16 = 0
    public var authorityCount: UInt16 = 0
    public var additionalCount: UInt16 = 0

    public init(id: UInt16, flags: UInt16 = 0) {
        self.id = id
        self.flags = flags
    }

    @inline(__always)
    func bit(_ mask: UInt16) -> Bool { flags & mask != 0 }
    @inline(__always)
    mutating func set(_ mask: UInt16, _ on: Bool) { flags = on ? flags | mask : flags & ~mask }

    public static let qrMask: UInt16 = 0x8000
    public static let aaMask: UInt16 = 0x0400
    public static let tcMask: UInt16 = 0x0200
    public static let rdMask: UInt16 = 0x0100
    public static let raMask: UInt16 = 0x0080
    public static let adMask: UInt16 = 0x0020
    public static let cdMask: UInt16 = 0x0010

    public var isResponse: Bool { get { bit(Header.qrMask) } set { set(Header.qrMask, newValue) } }
    public var isAuthoritative: Bool { get { bit(Header.aaMask) } set { set(Header.aaMask, newValue) } }
    public var isTruncated: Bool { get { bit(Header.tcMask) } set { set(Header.tcMask, newValue) } }
    public var recursionDesired: Bool { get { bit(Header.rdMask) } set { set(Header.rdMask, newValue) } }
    public var recursionAvailable: Bool { get { bit(Header.raMask) } set { set(Header.raMask, newValue) } }
    public var authenticData: Bool { get { bit(Header.adMask) } set { set(Header.adMask, newValue) } }
    public var checkingDisabled: Bool { get { bit(Header.cdMask) } set { set(Header.cdMask, newValue) } }

    public var opcode: Opcode {
        get { Opcode(rawValue: UInt8((flags >> 11) & 0xF)) }
        set { flags = (flags & ~0x7800) | (UInt16(newValue.rawValue & 0xF) << 11) }
    }

    /// The low four bits of the response code (the rest live in the OPT record).
    public var rcodeLow: UInt8 {
        get { UInt8(flags & 0xF) }
        set { flags = (flags & ~0xF) | UInt16(newValue & 0xF) }
    }
}

/// The question of a query (RFC 1035 §4.1.2).
public struct Question: Hashable, Sendable, CustomStringConvertible {
    public var name: DomainName
    public var type: RecordType
    public var recordClass: RecordClass

    public init(name: DomainName, type: RecordType, recordClass: RecordClass = .in) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }

    public var description: String { "\(name) \(recordClass) \(type)" }
}

/// One resource record as it appears in a message or a zone (RFC 1035 §3.2.1).
public struct ResourceRecord: Hashable, Sendable, CustomStringConvertible {
    public var name: DomainName
    public var ttl: UInt32
    public var recordClass: RecordClass
    public var rdata: RData

    public init(name: DomainName, ttl: UInt32, recordClass: RecordClass = .in, rdata: RData) {
        self.name = name
        self.ttl = ttl
        self.recordClass = recordClass
        self.rdata = rdata
    }

    public var type: RecordType { rdata.type }

    /// Master-file presentation: owner, TTL, class, type, RDATA, tab separated.
    public var description: String {
        "\(name)\t\(ttl)\t\(recordClass)\t\(type)\t\(rdata.presentation)"
    }
}
