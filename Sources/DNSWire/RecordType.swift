/// A DNS RR TYPE value (RFC 1035 §3.2.2, IANA registry), with its mnemonic.
public struct RecordType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = RecordType(1)
    public static let ns = RecordType(2)
    public static let cname = RecordType(5)
    public static let soa = RecordType(6)
    public static let ptr = RecordType(12)
    public static let hinfo = RecordType(13)
    public static let mx = RecordType(15)
    public static let txt = RecordType(16)
    public static let aaaa = RecordType(28)
    public static let srv = RecordType(33)
    public static let dname = RecordType(39)
    public static let opt = RecordType(41)
    public static let ds = RecordType(43)
    public static let rrsig = RecordType(46)
    public static let nsec = RecordType(47)
    public static let dnskey = RecordType(48)
    public static let spf = RecordType(99)
    public static let ixfr = RecordType(251)
    public static let axfr = RecordType(252)
    public static let mailb = RecordType(253)
    public static let maila = RecordType(254)
    public static let any = RecordType(255)
    public static let caa = RecordType(257)

    static let mnemonics: [(String, RecordType)] = [
        ("A", .a), ("NS", .ns), ("CNAME", .cname), ("SOA", .soa), ("PTR", .ptr), ("HINFO", .hinfo),
        ("MX", .mx), ("TXT", .txt), ("AAAA", .aaaa), ("SRV", .srv), ("DNAME", .dname), ("OPT", .opt),
        ("DS", .ds), ("RRSIG", .rrsig), ("NSEC", .nsec), ("DNSKEY", .dnskey), ("SPF", .spf),
        ("IXFR", .ixfr), ("AXFR", .axfr), ("MAILB", .mailb), ("MAILA", .maila), ("ANY", .any), ("CAA", .caa),
    ]

    /// Parses a mnemonic (`AAAA`) or the RFC 3597 generic form (`TYPE28`), any case.
    public init?(mnemonic: String) {
        let upper = mnemonic.uppercased()
        if let found = RecordType.mnemonics.first(where: { $0.0 == upper }) {
            self = found.1
            return
        }
        if upper.hasPrefix("TYPE"), upper.count > 4, upper.dropFirst(4).allSatisfy(\.isASCIIDigit),
           let value = UInt16(upper.dropFirst(4)) {
            self.init(value)
            return
        }
        return nil
    }

    /// Mnemonic bytes as written in a zone file (any case), for the parser's hot loop;
    /// nil for names that need the string path (`TYPE123`, unknown words).
    public init?(mnemonicBytes bytes: [UInt8]) {
        guard (1...6).contains(bytes.count) else { return nil }
        var upper: UInt64 = 0
        for b in bytes {
            let c = b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") ? b - 32 : b
            upper = upper << 8 | UInt64(c)
        }
        guard let found = RecordType.packedMnemonics[upper] else { return nil }
        self = found
    }

    static let packedMnemonics: [UInt64: RecordType] = {
        var table: [UInt64: RecordType] = [:]
        for (name, type) in mnemonics where name.utf8.count <= 6 {
            table[name.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }] = type
        }
        return table
    }()

    /// Whether the type has a mnemonic here (the types this server knows by name).
    @inline(__always)
    public var hasMnemonic: Bool {
        Int(rawValue) < RecordType.namedTypes.count && RecordType.namedTypes[Int(rawValue)]
    }

    /// Indexed by type value: true for the types in `mnemonics` (all are below 258).
    static let namedTypes: [Bool] = {
        var table = [Bool](repeating: false, count: 258)
        for (_, type) in mnemonics { table[Int(type.rawValue)] = true }
        return table
    }()

    public var mnemonic: String {
        RecordType.mnemonics.first(where: { $0.1 == self })?.0 ?? "TYPE\(rawValue)"
    }

    /// Meta-types and QTYPEs that never hold data in a zone (RFC 6895 §3.1).
    public var isMetaType: Bool { rawValue == 41 || (rawValue >= 128 && rawValue <= 255) }

    public var description: String { mnemonic }

    public static func < (lhs: RecordType, rhs: RecordType) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A DNS CLASS value; Switchyard serves IN only, but decodes any.
public struct RecordClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let `in` = RecordClass(rawValue: 1)
    public static let ch = RecordClass(rawValue: 3)
    public static let none = RecordClass(rawValue: 254)
    public static let any = RecordClass(rawValue: 255)

    public init?(mnemonic: String) {
        switch mnemonic.uppercased() {
        case "IN": self = .in
        case "CH": self = .ch
        case let upper where upper.hasPrefix("CLASS") && upper.count > 5:
            guard upper.dropFirst(5).allSatisfy(\.isASCIIDigit), let value = UInt16(upper.dropFirst(5)) else { return nil }
            self.init(rawValue: value)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .in: return "IN"
        case .ch: return "CH"
        default: return "CLASS\(rawValue)"
        }
    }
}

/// DNS response codes, including the EDNS extended ones (RFC 6891 §6.1.3).
public struct ResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let noError = ResponseCode(rawValue: 0)
    public static let formErr = ResponseCode(rawValue: 1)
    public static let servFail = ResponseCode(rawValue: 2)
    public static let nxDomain = ResponseCode(rawValue: 3)
    public static let notImp = ResponseCode(rawValue: 4)
    public static let refused = ResponseCode(rawValue: 5)
    public static let notAuth = ResponseCode(rawValue: 9)
    public static let badVers = ResponseCode(rawValue: 16)

    public var description: String {
        switch rawValue {
        case 0: return "NOERROR"
        case 1: return "FORMERR"
        case 2: return "SERVFAIL"
        case 3: return "NXDOMAIN"
        case 4: return "NOTIMP"
        case 5: return "REFUSED"
        case 9: return "NOTAUTH"
        case 16: return "BADVERS"
        default: return "RCODE\(rawValue)"
        }
    }
}

/// DNS header opcodes (RFC 1035 §4.1.1, RFC 1996, RFC 2136).
public struct Opcode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let query = Opcode(rawValue: 0)
    public static let iquery = Opcode(rawValue: 1)
    public static let status = Opcode(rawValue: 2)
    public static let notify = Opcode(rawValue: 4)
    public static let update = Opcode(rawValue: 5)
}
