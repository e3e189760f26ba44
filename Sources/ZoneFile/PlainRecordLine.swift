import DNSWire

/// The record line that makes up nearly all of a large zone, read straight from the file's
/// bytes: one physical line of plain words (and, for TXT, simple quoted strings) with no
/// comment, parenthesis, routing block or escape, an optional TTL in seconds, an optional
/// `IN`, and one of the types A, AAAA, NS, CNAME, PTR, MX or TXT with well-formed data.
///
/// It only ever accepts what the general path (`Lexer` and `ZoneFileParser.record`)
/// accepts, and builds the same record; anything else — including every error — is
/// declined (`nil`) so that the general path reads the line again and reports exactly
/// what it always has. No token, string or array is built for a line except the record's
/// own values.
struct PlainRecordLine {
    /// What the fast path found at a line start.
    enum Outcome {
        /// A record, whether its line gave the TTL, and where the next line starts.
        case record(ZoneFileRecord, explicitTTL: Bool, next: Int)
        /// A line of blanks only, and where the next line starts.
        case blank(next: Int)
    }

    /// The most tokens a plain line may have (owner, TTL, class, type and RDATA).
    static let maximumTokens = 12

    /// A token's place in the file: `start..<end` of its text (inside the quotes for a
    /// quoted string).
    struct Span {
        var start: Int
        var end: Int
        var quoted: Bool
        var count: Int { end - start }
    }

    /// The last owner name built, kept for the next line that spells it the same way
    /// under the same origin (hosts with several records): it saves building the name
    /// again and lets the records share its storage.
    struct OwnerMemo {
        var span: Span
        var origin: [UInt8]
        var name: DomainName
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    var spans: [Span] = []
    var memo: OwnerMemo?

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        spans.reserveCapacity(PlainRecordLine.maximumTokens)
    }

    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r"), quote = UInt8(ascii: "\"")

    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab || b == carriageReturn }

    /// Bytes that need the general lexer when they appear anywhere on a line.
    @inline(__always)
    static func needsLexer(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"),
             UInt8(ascii: "["), UInt8(ascii: "]"): return true
        default: return false
        }
    }

    /// Splits the line at `start` into `spans`; the start of the next line, or nil when
    /// the line is not plain.
    mutating func split(at start: Int) -> Int? {
        spans.removeAll(keepingCapacity: true)
        let count = bytes.count
        var i = start
        while i < count {
            let b = bytes[i]
            if b == PlainRecordLine.newline { return i + 1 }
            if PlainRecordLine.isBlank(b) { i += 1; continue }
            guard spans.count < PlainRecordLine.maximumTokens else { return nil }
            if b == PlainRecordLine.quote {
                let open = i + 1
                var j = open
                while j < count {
                    let c = bytes[j]
                    if c == PlainRecordLine.quote || c == PlainRecordLine.newline || c == UInt8(ascii: "\\") { break }
                    j += 1
                }
                guard j < count, bytes[j] == PlainRecordLine.quote else { return nil }
                // The general lexer starts a new word right after a closing quote; plain
                // lines keep a blank there.
                guard j + 1 >= count || PlainRecordLine.isBlank(bytes[j + 1]) || bytes[j + 1] == PlainRecordLine.newline else { return nil }
                spans.append(Span(start: open, end: j, quoted: true))
                i = j + 1
                continue
            }
            let wordStart = i
            while i < count {
                let c = bytes[i]
                if PlainRecordLine.isBlank(c) || c == PlainRecordLine.newline { break }
                if c == PlainRecordLine.quote || PlainRecordLine.needsLexer(c) { return nil }
                i += 1
            }
            spans.append(Span(start: wordStart, end: i, quoted: false))
        }
        return count
    }

    /// The record on the line starting at `start` (a line start), or nil when the general
    /// path must read it. `context` is only read; the caller applies what a record changes.
    mutating func read(at start: Int, line: Int, context: ZoneFileParser.Context) -> Outcome? {
        guard bytes[start] != UInt8(ascii: "$") else { return nil }
        guard let next = split(at: start) else { return nil }
        if spans.isEmpty { return .blank(next: next) }
        func location(_ span: Span) -> SourceLocation {
            SourceLocation(file: file, line: line, column: span.start - (span.quoted ? 1 : 0) - start + 1)
        }
        var index = 0
        let owner: DomainName
        if PlainRecordLine.isBlank(bytes[start]) {
            guard let last = context.lastOwner else { return nil }
            owner = last
        } else {
            let span = spans[0]
            guard !span.quoted, let name = ownerName(span, origin: context.origin) else { return nil }
            owner = name
            index = 1
        }

        var ttl: UInt32? = nil
        var sawClass = false
        var type: RecordType? = nil
        var typeName = ""
        while index < spans.count {
            let span = spans[index]
            guard !span.quoted else { return nil }
            index += 1
            let first = bytes[span.start]
            if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
                guard ttl == nil, let seconds = plainSeconds(span) else { return nil }
                ttl = seconds
                continue
            }
            if !sawClass, span.count == 2, first | 0x20 == UInt8(ascii: "i"), bytes[span.start + 1] | 0x20 == UInt8(ascii: "n") {
                sawClass = true
                continue
            }
            guard let (known, name) = plainType(span) else { return nil }
            type = known
            typeName = name
            break
        }
        guard let type else { return nil }
        let typeSpan = spans[index - 1]
        let rdataCount = spans.count - index
        guard rdataCount > 0 else { return nil }

        let rdata: RData
        switch type {
        case .a:
            guard rdataCount == 1, !spans[index].quoted, let address = ipv4(spans[index]) else { return nil }
            rdata = .a(address)
        case .aaaa:
            let span = spans[index]
            guard rdataCount == 1, !span.quoted,
                  let address = IPv6Address(presentation: Array(bytes[span.start..<span.end])) else { return nil }
            rdata = .aaaa(address)
        case .ns, .cname, .ptr:
            let span = spans[index]
            guard rdataCount == 1, !span.quoted, let target = name(span, origin: context.origin) else { return nil }
            rdata = type == .ns ? .ns(target) : type == .cname ? .cname(target) : .ptr(target)
        case .mx:
            guard rdataCount == 2, !spans[index].quoted, !spans[index + 1].quoted, let preference = uint16(spans[index]),
                  let exchange = name(spans[index + 1], origin: context.origin) else { return nil }
            rdata = .mx(MXData(preference: preference, exchange: exchange))
        default:
            var strings: [[UInt8]] = []
            strings.reserveCapacity(rdataCount)
            for span in spans[index...] {
                guard span.count <= 255 else { return nil }
                strings.append(Array(bytes[span.start..<span.end]))
            }
            rdata = .txt(TXTData(strings: strings))
        }

        guard let resolvedTTL = ttl ?? context.defaultTTL ?? context.lastExplicitTTL else { return nil }
        let record = ZoneFileRecord(owner: owner, ttl: resolvedTTL, typeName: typeName, content: .data(rdata), routing: nil,
                                    location: location(spans[0]), typeLocation: location(typeSpan),
                                    rdataLocation: location(spans[index]))
        return .record(record, explicitTTL: ttl != nil, next: next)
    }

    // MARK: Fields

    /// The owner, from the memo when the line spells it as the previous one did.
    mutating func ownerName(_ span: Span, origin: DomainName) -> DomainName? {
        if let memo, memo.span.count == span.count, memo.origin == origin.wire, sameText(memo.span, span) {
            return memo.name
        }
        guard let name = name(span, origin: origin) else { return nil }
        memo = OwnerMemo(span: span, origin: origin.wire, name: name)
        return name
    }

    func sameText(_ a: Span, _ b: Span) -> Bool {
        for k in 0..<a.count where bytes[a.start + k] != bytes[b.start + k] { return false }
        return true
    }

    /// A name without escapes: `@`, or labels of 1–63 octets, absolute with a final dot or
    /// completed with `origin`, at most 255 octets in wire form.
    func name(_ span: Span, origin: DomainName) -> DomainName? {
        let count = span.count
        if count == 1 && bytes[span.start] == UInt8(ascii: "@") { return origin }
        if count == 1 && bytes[span.start] == UInt8(ascii: ".") { return .root }
        let absolute = bytes[span.end - 1] == UInt8(ascii: ".")
        let length = absolute ? count + 1 : count + 1 + origin.wire.count
        guard length <= 255 else { return nil }
        var valid = true
        let wire = [UInt8](unsafeUninitializedCapacity: length) { out, written in
            var labelStart = 0
            var o = 1
            for i in span.start..<span.end {
                let c = bytes[i]
                if c == UInt8(ascii: ".") {
                    let labelLength = o - labelStart - 1
                    if labelLength == 0 || labelLength > 63 { valid = false; break }
                    out[labelStart] = UInt8(labelLength)
                    labelStart = o
                    o += 1
                } else {
                    out[o] = c
                    o += 1
                }
            }
            if valid && !absolute {
                let labelLength = o - labelStart - 1
                if labelLength == 0 || labelLength > 63 {
                    valid = false
                } else {
                    out[labelStart] = UInt8(labelLength)
                    origin.wire.withUnsafeBufferPointer { suffix in
                        for byte in suffix { out[o] = byte; o += 1 }
                    }
                }
            } else if valid {
                // The final dot opened an empty label slot: it is the root label.
                out[labelStart] = 0
            }
            written = valid ? o : 0
        }
        return valid ? DomainName(uncheckedWire: wire) : nil
    }

    /// Decimal seconds only (no units), at most 2^31−1 as RFC 2181 §8 allows.
    func plainSeconds(_ span: Span) -> UInt32? {
        guard span.count <= 10 else { return nil }
        var value: UInt64 = 0
        for i in span.start..<span.end {
            let b = bytes[i]
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(b - UInt8(ascii: "0"))
        }
        return value <= UInt64(Int32.max) ? UInt32(value) : nil
    }

    /// A 16-bit decimal integer (MX preference), leading zeros allowed as the general path allows them.
    func uint16(_ span: Span) -> UInt16? {
        var value: UInt32 = 0
        for i in span.start..<span.end {
            let b = bytes[i]
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt32(b - UInt8(ascii: "0"))
            guard value <= UInt32(UInt16.max) else { return nil }
        }
        return UInt16(value)
    }

    /// Dotted-quad with exactly four parts of 0–255 and no leading zeros (the rules of
    /// `IPv4Address(presentation:)`).
    func ipv4(_ span: Span) -> IPv4Address? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        var leadingZero = false
        for i in span.start..<span.end {
            let b = bytes[i]
            if b == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
                continue
            }
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"), digits < 3 else { return nil }
            if digits == 0 { leadingZero = b == UInt8(ascii: "0") } else if leadingZero { return nil }
            part = part * 10 + UInt32(b - UInt8(ascii: "0"))
            guard part <= 255 else { return nil }
            digits += 1
        }
        guard digits > 0, parts == 3 else { return nil }
        return IPv4Address(value << 8 | part)
    }

    /// The types this path reads, any case, with their mnemonics.
    func plainType(_ span: Span) -> (RecordType, String)? {
        guard span.count <= 5 else { return nil }
        var packed: UInt64 = 0
        for i in span.start..<span.end {
            let b = bytes[i]
            packed = packed << 8 | UInt64(b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") ? b - 32 : b)
        }
        switch packed {
        case 0x41: return (.a, "A")
        case 0x4141_4141: return (.aaaa, "AAAA")
        case 0x4E53: return (.ns, "NS")
        case 0x43_4E41_4D45: return (.cname, "CNAME")
        case 0x50_5452: return (.ptr, "PTR")
        case 0x4D58: return (.mx, "MX")
        case 0x54_5854: return (.txt, "TXT")
        default: return nil
        }
    }
}
