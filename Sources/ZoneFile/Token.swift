import DNSWire

/// A lexical item of a zone file with the place it starts.
public struct Token: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Unquoted text, escapes still in it.
        case word
        /// Text that was between double quotes (quotes removed, escapes still in it).
        case quoted
        /// A `[ … ]` routing block; its inner words are in `children`.
        case attributes
    }

    public var kind: Kind
    public var text: [UInt8]
    public var location: SourceLocation
    public var children: [Token]

    public init(kind: Kind, text: [UInt8], location: SourceLocation, children: [Token] = []) {
        self.kind = kind
        self.text = text
        self.location = location
        self.children = children
    }

    public var string: String { String(decoding: text, as: UTF8.self) }

    public var presentationToken: PresentationToken {
        PresentationToken(text, isQuoted: kind == .quoted)
    }

    public var description: String {
        switch kind {
        case .word: return string
        case .quoted: return "\"\(string)\""
        case .attributes: return "[" + children.map(\.description).joined(separator: " ") + "]"
        }
    }
}

/// One logical entry of a zone file: the tokens of a line, joined across lines inside
/// parentheses (RFC 1035 §5.1), and whether the line began with blank space (owner omitted).
public struct LogicalLine: Sendable {
    public var tokens: [Token]
    public var startsWithBlank: Bool
    public var location: SourceLocation
}
