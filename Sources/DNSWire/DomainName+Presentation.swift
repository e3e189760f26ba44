extension DomainName {
    /// Parses a name in master-file presentation form (RFC 1035 §5.1): `\DDD` and `\X`
    /// escapes, `@` for the origin, and relative names completed with `origin`.
    public init(presentation text: [UInt8], origin: DomainName?) throws(PresentationError) {
        if text == [UInt8(ascii: "@")] {
            guard let origin else { throw PresentationError("'@' used with no origin") }
            self = origin
            return
        }
        if text == [UInt8(ascii: ".")] {
            self = .root
            return
        }
        guard !text.isEmpty else { throw PresentationError("empty name") }
        var wire: [UInt8] = [0]
        var labelStart = 0
        var absolute = false
        var i = 0
        func closeLabel() throws(PresentationError) {
            let length = wire.count - labelStart - 1
            guard length > 0 else { throw PresentationError("empty label in name") }
            guard length <= 63 else { throw PresentationError("label longer than 63 octets") }
            wire[labelStart] = UInt8(length)
        }
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: ".") {
                try closeLabel()
                if i == text.count - 1 { absolute = true } else {
                    labelStart = wire.count
                    wire.append(0)
                }
                i += 1
                continue
            }
            if c == UInt8(ascii: "\\") {
                let (byte, consumed) = try DomainName.unescape(text, at: i)
                wire.append(byte)
                i += consumed
                continue
            }
            wire.append(c)
            i += 1
        }
        if !absolute {
            try closeLabel()
            guard let origin else { throw PresentationError("relative name with no origin") }
            wire.append(contentsOf: origin.wire)
        } else {
            wire.append(0)
        }
        guard wire.count <= 255 else { throw PresentationError("name longer than 255 octets") }
        self.init(uncheckedWire: wire)
    }

    /// Parses an absolute or origin-relative name from a Swift string.
    public init(_ text: String, origin: DomainName? = nil) throws(PresentationError) {
        try self.init(presentation: Array(text.utf8), origin: origin)
    }

    /// Reads one `\DDD` or `\X` escape starting at `index` (the backslash); returns the
    /// byte and how many input bytes it used.
    static func unescape(_ text: [UInt8], at index: Int) throws(PresentationError) -> (UInt8, Int) {
        guard index + 1 < text.count else { throw PresentationError("backslash at end of text") }
        let first = text[index + 1]
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
            guard index + 3 < text.count else { throw PresentationError("\\DDD escape needs three digits") }
            var value = 0
            for k in 1...3 {
                let d = text[index + k]
                guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") else {
                    throw PresentationError("\\DDD escape needs three digits")
                }
                value = value * 10 + Int(d - UInt8(ascii: "0"))
            }
            guard value <= 255 else { throw PresentationError("\\DDD escape above 255") }
            return (UInt8(value), 4)
        }
        return (first, 2)
    }

    /// Presentation form, absolute with a trailing dot, special characters escaped.
    public var presentation: String {
        if isRoot { return "." }
        var out: [UInt8] = []
        out.reserveCapacity(wire.count + 4)
        var i = 0
        while wire[i] != 0 {
            let len = Int(wire[i])
            for byte in wire[(i + 1)...(i + len)] { DomainName.appendEscaped(byte, to: &out) }
            out.append(UInt8(ascii: "."))
            i += 1 + len
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: ";"), UInt8(ascii: "@"), UInt8(ascii: "$"):
            out.append(UInt8(ascii: "\\"))
            out.append(byte)
        case 0x21...0x7E:
            out.append(byte)
        default:
            appendDecimalEscape(byte, to: &out)
        }
    }

    static func appendDecimalEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "0") + byte / 100)
        out.append(UInt8(ascii: "0") + (byte / 10) % 10)
        out.append(UInt8(ascii: "0") + byte % 10)
    }
}

extension DomainName: ExpressibleByStringLiteral {
    /// For tests and built-in tables: a literal must be a valid absolute name.
    public init(stringLiteral value: String) {
        do { try self.init(value, origin: .root) } catch { preconditionFailure("invalid name literal \(value): \(error)") }
    }
}
