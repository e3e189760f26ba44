import DNSWire

/// Route 53's text forms: names and TXT strings with `\ooo` escapes in *octal*
/// (`\052` is `*`), where zone files use decimal `\DDD` (RFC 1035 §5.1).
enum Route53Escapes {
    /// A Route 53 name (`\052.example.com.`, trailing dot optional) as a domain name.
    static func name(_ text: String) throws(Route53Problem.Reason) -> DomainName {
        let bytes = Array(text.utf8)
        var labels: [[UInt8]] = []
        var label: [UInt8] = []
        var i = 0
        if bytes == [UInt8(ascii: ".")] { return .root }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\\") {
                let (value, used) = try escape(bytes, at: i, in: text)
                label.append(value)
                i += used
                continue
            }
            if byte == UInt8(ascii: ".") {
                guard !label.isEmpty else { throw .init("name '\(text)' has an empty label") }
                labels.append(label)
                label = []
            } else {
                label.append(byte)
            }
            i += 1
        }
        if !label.isEmpty { labels.append(label) }
        guard !labels.isEmpty else { throw .init("name is empty") }
        do { return try DomainName(labels: labels) } catch {
            throw .init("name '\(text)' is not a valid domain name (\(error))")
        }
    }

    /// One `\ooo` (three octal digits) or `\X` escape at `i`: the byte and the characters used.
    static func escape(_ bytes: [UInt8], at i: Int, in text: String) throws(Route53Problem.Reason) -> (UInt8, Int) {
        guard i + 1 < bytes.count else { throw .init("'\(text)' ends in a lone '\\'") }
        let octal = UInt8(ascii: "0")...UInt8(ascii: "7")
        if octal.contains(bytes[i + 1]) {
            guard i + 3 < bytes.count, octal.contains(bytes[i + 2]), octal.contains(bytes[i + 3]) else {
                throw .init("'\(text)' has a '\\' escape that is not three octal digits")
            }
            let value = Int(bytes[i + 1] - octal.lowerBound) * 64 + Int(bytes[i + 2] - octal.lowerBound) * 8 + Int(bytes[i + 3] - octal.lowerBound)
            guard value <= 255 else { throw .init("'\(text)' has an escape above \\377") }
            return (UInt8(value), 4)
        }
        return (bytes[i + 1], 2)
    }

    /// A name as Route 53 prints it: lowercase, trailing dot, every octet outside
    /// `a-z 0-9 - _` as `\ooo`.
    static func text(of name: DomainName) -> String {
        if name.isRoot { return "." }
        var out = ""
        for label in name.labels {
            for byte in label {
                let lower = DomainName.fold(byte)
                switch lower {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    out.unicodeScalars.append(UnicodeScalar(lower))
                default:
                    out += octal(lower)
                }
            }
            out += "."
        }
        return out
    }

    static func octal(_ byte: UInt8) -> String {
        "\\" + String(byte >> 6) + String((byte >> 3) & 7) + String(byte & 7)
    }

    /// A TXT or SPF value (`"a" "b\042c"`) as its character-strings: quoted strings with
    /// `\"`, `\\` and `\ooo`; a bare word is one string.
    static func characterStrings(_ text: String) throws(Route53Problem.Reason) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        var strings: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1; continue }
            var string: [UInt8] = []
            let quoted = bytes[i] == UInt8(ascii: "\"")
            if quoted { i += 1 }
            var closed = !quoted
            while i < bytes.count {
                let byte = bytes[i]
                if quoted && byte == UInt8(ascii: "\"") { closed = true; i += 1; break }
                if !quoted && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) { break }
                if byte == UInt8(ascii: "\\") {
                    let (value, used) = try escape(bytes, at: i, in: text)
                    string.append(value)
                    i += used
                } else {
                    string.append(byte)
                    i += 1
                }
            }
            guard closed else { throw .init("value \(text) has an unclosed quote") }
            guard string.count <= 255 else { throw .init("a string of value \(text.prefix(40))… is longer than 255 bytes") }
            strings.append(string)
        }
        guard !strings.isEmpty else { throw .init("TXT value is empty") }
        return strings
    }

    /// Character-strings as Route 53 takes them: each quoted, `"` and `\` escaped, octets
    /// outside printable ASCII as `\ooo`.
    static func text(ofStrings strings: [[UInt8]]) -> String {
        strings.map { string in
            var out = "\""
            for byte in string {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += "\\" + String(UnicodeScalar(byte))
                case 0x20...0x7E: out.unicodeScalars.append(UnicodeScalar(byte))
                default: out += octal(byte)
                }
            }
            return out + "\""
        }.joined(separator: " ")
    }
}
