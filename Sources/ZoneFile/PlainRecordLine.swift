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
}
