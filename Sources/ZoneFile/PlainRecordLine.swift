import DNSWire

/// The record line that makes up nearly all of a large zone, read straight from the file's
/// bytes: one physical line of plain words (and, for TXT, simple quoted strings), perhaps
/// with a comment at its end, with no parenthesis, routing block or escape, an optional TTL in seconds, an optional
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
        /// A record (handed over), and where the next line starts.
        case record(next: Int)
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
    static let carriageReturn = UInt8(ascii: "\r"), quote = UInt8(ascii: "\""), semicolon = UInt8(ascii: ";")

    /// What may follow a token on a plain line: a blank, the end of the line, a comment.
    @inline(__always)
    static func endsToken(_ b: UInt8) -> Bool { isBlank(b) || b == newline || b == semicolon }

    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab || b == carriageReturn }

    /// Bytes that end a plain word: blanks, newline, `"`, `(`, `)`, `;` (below 64) and
    /// `[`, `\`, `]` (64–127). One shift and mask per byte instead of a chain of tests.
    @inline(__always)
    static func endsWord(_ b: UInt8) -> Bool {
        let low: UInt64 = 1 << 9 | 1 << 10 | 1 << 13 | 1 << 32 | 1 << 34 | 1 << 40 | 1 << 41 | 1 << 59
        let high: UInt64 = 1 << 27 | 1 << 28 | 1 << 29
        return b < 64 ? (low >> UInt64(b)) & 1 != 0 : b < 128 && (high >> UInt64(b &- 64)) & 1 != 0
    }

    /// Splits the line at `start` into `spans`; the start of the next line, or nil when
    /// the line is not plain.
    mutating func split(at start: Int) -> Int? {
        spans.removeAll(keepingCapacity: true)
        let count = bytes.count
        var i = start
        while i < count {
            let b = bytes[i]
            if !PlainRecordLine.endsWord(b) {
                guard spans.count < PlainRecordLine.maximumTokens else { return nil }
                let wordStart = i
                i += 1
                while i < count && !PlainRecordLine.endsWord(bytes[i]) { i += 1 }
                // A quote or a special byte right after a word needs the lexer.
                guard i >= count || PlainRecordLine.endsToken(bytes[i]) else { return nil }
                spans.append(Span(start: wordStart, end: i, quoted: false))
                continue
            }
            if b == PlainRecordLine.newline { return i + 1 }
            if PlainRecordLine.isBlank(b) { i += 1; continue }
            if b == PlainRecordLine.semicolon {
                // A comment runs to the end of the line.
                while i < count && bytes[i] != PlainRecordLine.newline { i += 1 }
                return i < count ? i + 1 : count
            }
            guard b == PlainRecordLine.quote, spans.count < PlainRecordLine.maximumTokens else { return nil }
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
            guard j + 1 >= count || PlainRecordLine.endsToken(bytes[j + 1]) else { return nil }
            spans.append(Span(start: open, end: j, quoted: true))
            i = j + 1
        }
        return count
    }

    /// Reads the line starting at `start`: a record is handed to `emit` with `zoneOrigin`
    /// and `context` takes what it changes (the last owner and explicit TTL). Nil, with
    /// nothing changed, when the general path must read the line.
    mutating func read(at start: Int, line: Int, context: inout ZoneFileParser.Context, zoneOrigin: DomainName,
                       emit: (ZoneFileRecord, DomainName) -> Void) -> Outcome? {
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
                  let address = ipv6(span) ?? IPv6Address(presentation: Array(bytes[span.start..<span.end])) else { return nil }
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
        context.lastOwner = owner
        if let ttl { context.lastExplicitTTL = ttl }
        emit(ZoneFileRecord(owner: owner, ttl: resolvedTTL, typeName: typeName, content: .data(rdata), routing: nil,
                            location: location(spans[0]), typeLocation: location(typeSpan),
                            rdataLocation: location(spans[index])), zoneOrigin)
        return .record(next: next)
    }

    // MARK: Fields

    /// The owner, from the memo when the line spells it as the previous one did.
    mutating func ownerName(_ span: Span, origin: DomainName) -> DomainName? {
        if let memo, memo.span.count == span.count, sameText(memo.span, span), PlainRecordLine.same(memo.origin, origin.wire) {
            return memo.name
        }
        guard let name = name(span, origin: origin) else { return nil }
        memo = OwnerMemo(span: span, origin: origin.wire, name: name)
        return name
    }

    /// Byte-for-byte equality (case counts: the name keeps the case it was written in).
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where a[k] != b[k] { return false }
        return true
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
        // First check the labels, so the building below cannot fail half-way.
        var labelLength = 0
        for i in span.start..<span.end {
            if bytes[i] == UInt8(ascii: ".") {
                guard labelLength > 0, labelLength <= 63 else { return nil }
                labelLength = 0
            } else {
                labelLength += 1
            }
        }
        guard absolute || (labelLength > 0 && labelLength <= 63) else { return nil }
        var wire = [UInt8](repeating: 0, count: length)
        wire.withUnsafeMutableBufferPointer { out in
            var labelStart = 0
            var o = 1
            for i in span.start..<span.end {
                let c = bytes[i]
                if c == UInt8(ascii: ".") {
                    out[labelStart] = UInt8(o - labelStart - 1)
                    labelStart = o
                } else {
                    out[o] = c
                }
                o += 1
            }
            // Absolute: the final dot left the root label's zero in place.
            if !absolute {
                out[labelStart] = UInt8(o - labelStart - 1)
                for byte in origin.wire {
                    out[o] = byte
                    o += 1
                }
            }
        }
        return DomainName(uncheckedWire: wire)
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

    /// RFC 4291 §2.2 text of hex groups with at most one `::` and no embedded IPv4 (nil
    /// for anything else, which `IPv6Address(presentation:)` then decides), read without
    /// building arrays.
    func ipv6(_ span: Span) -> IPv6Address? {
        guard span.count >= 2, span.count <= 39 else { return nil }
        var head = SIMD8<UInt16>()
        var tail = SIMD8<UInt16>()
        var headCount = 0
        var tailCount = 0
        var sawGap = false
        var group: UInt32 = 0
        var digits = 0
        var i = span.start
        @inline(__always) func append(_ value: UInt16) -> Bool {
            if sawGap {
                guard tailCount < 8 else { return false }
                tail[tailCount] = value
                tailCount += 1
            } else {
                guard headCount < 8 else { return false }
                head[headCount] = value
                headCount += 1
            }
            return true
        }
        while i < span.end {
            let b = bytes[i]
            if b == UInt8(ascii: ":") {
                if i + 1 < span.end && bytes[i + 1] == UInt8(ascii: ":") {
                    guard !sawGap else { return nil }
                    if digits > 0 { guard append(UInt16(group)) else { return nil } } else if i != span.start { return nil }
                    sawGap = true
                    group = 0
                    digits = 0
                    i += 2
                    continue
                }
                guard digits > 0, i + 1 < span.end, append(UInt16(group)) else { return nil }
                group = 0
                digits = 0
                i += 1
                continue
            }
            let v: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = UInt32(b - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digits < 4 else { return nil }
            group = group << 4 | v
            digits += 1
            i += 1
        }
        if digits > 0 { guard append(UInt16(group)) else { return nil } }
        var groups = SIMD8<UInt16>()
        if sawGap {
            guard headCount + tailCount <= 7 else { return nil }
            for k in 0..<headCount { groups[k] = head[k] }
            for k in 0..<tailCount { groups[8 - tailCount + k] = tail[k] }
        } else {
            guard headCount == 8 else { return nil }
            groups = head
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for k in 0..<4 { high = high << 16 | UInt64(groups[k]) }
        for k in 4..<8 { low = low << 16 | UInt64(groups[k]) }
        return IPv6Address(high: high, low: low)
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
