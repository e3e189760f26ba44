/// One whitespace-separated item of a record's RDATA in master-file form, still carrying
/// its backslash escapes; `isQuoted` is true when it was written between double quotes.
public struct PresentationToken: Hashable, Sendable, CustomStringConvertible {
    public var text: [UInt8]
    public var isQuoted: Bool

    public init(_ text: [UInt8], isQuoted: Bool = false) {
        self.text = text
        self.isQuoted = isQuoted
    }

    public init(_ text: String, isQuoted: Bool = false) {
        self.init(Array(text.utf8), isQuoted: isQuoted)
    }

    public var string: String { String(decoding: text, as: UTF8.self) }
    public var description: String { isQuoted ? "\"\(string)\"" : string }

    /// The bytes with `\DDD` and `\X` escapes resolved (a character-string's contents).
    public func unescaped() throws(PresentationError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if text[i] == UInt8(ascii: "\\") {
                let (byte, used) = try DomainName.unescape(text, at: i)
                out.append(byte)
                i += used
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }
}

/// Reads RDATA fields from a token list, naming the token at fault in every error.
public struct PresentationReader {
    public let tokens: [PresentationToken]
    public let origin: DomainName?
    public private(set) var index = 0

    public init(_ tokens: [PresentationToken], origin: DomainName?) {
        self.tokens = tokens
        self.origin = origin
    }

    public var isAtEnd: Bool { index >= tokens.count }

    public func error(_ message: String, at tokenIndex: Int? = nil) -> PresentationError {
        PresentationError(message, tokenIndex: tokenIndex ?? min(index, max(tokens.count - 1, 0)))
    }

    public mutating func next(_ what: String) throws(PresentationError) -> PresentationToken {
        guard index < tokens.count else {
            throw PresentationError("missing \(what)", tokenIndex: tokens.isEmpty ? nil : tokens.count - 1)
        }
        defer { index += 1 }
        return tokens[index]
    }

    public mutating func integer<T: FixedWidthInteger & UnsignedInteger>(_ what: String, as: T.Type = T.self) throws(PresentationError) -> T {
        let token = try next(what)
        guard !token.isQuoted, token.text.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = T(token.string, radix: 10) else {
            throw PresentationError("\(what) must be an integer from 0 to \(T.max), not '\(token.string)'", tokenIndex: index - 1)
        }
        return value
    }

    /// A time field (SOA timers, TTLs) in seconds or with units such as `1h30m`.
    public mutating func timeValue(_ what: String) throws(PresentationError) -> UInt32 {
        let token = try next(what)
        guard let value = TimeValue.parse(token.string) else {
            throw PresentationError("\(what) must be a number of seconds or a duration like 1h30m, not '\(token.string)'", tokenIndex: index - 1)
        }
        return value
    }

    public mutating func name(_ what: String) throws(PresentationError) -> DomainName {
        let token = try next(what)
        do {
            return try DomainName(presentation: token.text, origin: origin)
        } catch {
            throw PresentationError("bad \(what) '\(token.string)': \(error.message)", tokenIndex: index - 1)
        }
    }

    public mutating func characterString(_ what: String) throws(PresentationError) -> [UInt8] {
        let token = try next(what)
        let bytes: [UInt8]
        do { bytes = try token.unescaped() } catch {
            throw PresentationError(error.message, tokenIndex: index - 1)
        }
        guard bytes.count <= 255 else {
            throw PresentationError("\(what) longer than 255 octets", tokenIndex: index - 1)
        }
        return bytes
    }

    public func expectEnd(_ type: String) throws(PresentationError) {
        guard isAtEnd else {
            throw PresentationError("unexpected '\(tokens[index].string)' after the \(type) data", tokenIndex: index)
        }
    }
}

/// TTL and timer values in master files: plain seconds or BIND-style units (`1w2d3h4m5s`).
public enum TimeValue {
    /// Seconds, or nil when the text is not a valid duration or exceeds 2^31−1 (RFC 2181 §8).
    public static func parse(_ text: String) -> UInt32? {
        guard !text.isEmpty else { return nil }
        if text.allSatisfy(\.isASCIIDigit) {
            guard let v = UInt64(text), v <= UInt64(Int32.max) else { return nil }
            return UInt32(v)
        }
        var total: UInt64 = 0
        var current: UInt64? = nil
        for ch in text.lowercased() {
            if let digit = ch.wholeNumberValue, ch.isASCIIDigit {
                current = (current ?? 0) * 10 + UInt64(digit)
                if current! > UInt64(Int32.max) { return nil }
                continue
            }
            let unit: UInt64
            switch ch {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86400
            case "w": unit = 604800
            default: return nil
            }
            guard let value = current else { return nil }
            total += value * unit
            if total > UInt64(Int32.max) { return nil }
            current = nil
        }
        if let rest = current { total += rest }
        guard total <= UInt64(Int32.max) else { return nil }
        return UInt32(total)
    }
}
