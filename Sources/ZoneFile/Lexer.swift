/// Splits master-file text into logical lines (RFC 1035 §5.1): `;` comments, parentheses
/// over several lines, double-quoted strings, backslash escapes, and Switchyard's `[ … ]`
/// routing blocks. Problems become diagnostics and the lexer carries on with the next line.
public struct Lexer {
    let bytes: [UInt8]
    let file: String
    var index = 0
    var line = 1
    var lineStart = 0
    public private(set) var diagnostics: [Diagnostic] = []

    public init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// Text that starts at line `line` of its file (a block of a file read in blocks).
    init(bytes: [UInt8], file: String, line: Int) {
        self.bytes = bytes
        self.file = file
        self.line = line
    }

    /// Forgets the diagnostics after the first `count` (of a line that will be read again).
    mutating func keepDiagnostics(_ count: Int) {
        diagnostics.removeSubrange(count...)
    }

    var location: SourceLocation { SourceLocation(file: file, line: line, column: index - lineStart + 1) }

    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r"), semicolon = UInt8(ascii: ";"), quote = UInt8(ascii: "\"")
    static let openParen = UInt8(ascii: "("), closeParen = UInt8(ascii: ")"), backslash = UInt8(ascii: "\\")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")

    static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab || b == carriageReturn }

    /// The next logical line with tokens, or nil at the end of the file. Parsing line by
    /// line keeps a large zone's tokens from all being in memory at once.
    public mutating func next() -> LogicalLine? {
        while index < bytes.count {
            if let line = nextLogicalLine(), !line.tokens.isEmpty { return line }
        }
        return nil
    }

    mutating func newLine() {
        index += 1
        line += 1
        lineStart = index
    }

    /// Carries on at `next`, the start of a line (or the end) that something else read up to.
    mutating func moveToLine(startingAt next: Int) {
        if next > index && bytes[next - 1] == Lexer.newline { line += 1 }
        index = next
        lineStart = next
    }

    mutating func skipComment() {
        while index < bytes.count && bytes[index] != Lexer.newline { index += 1 }
    }

    mutating func nextLogicalLine() -> LogicalLine? {
        let start = location
        let startsWithBlank = index < bytes.count && Lexer.isBlank(bytes[index])
        var tokens: [Token] = []
        var parenDepth = 0
        var parenOpenedAt = start
        while index < bytes.count {
            let b = bytes[index]
            if b == Lexer.newline {
                if parenDepth == 0 {
                    newLine()
                    break
                }
                newLine()
                continue
            }
            if Lexer.isBlank(b) { index += 1; continue }
            if b == Lexer.semicolon { skipComment(); continue }
            if b == Lexer.openParen {
                if parenDepth == 0 { parenOpenedAt = location }
                parenDepth += 1
                index += 1
                continue
            }
            if b == Lexer.closeParen {
                guard parenDepth > 0 else {
                    diagnostics.append(Diagnostic(at: location, "')' without a matching '('"))
                    index += 1
                    continue
                }
                parenDepth -= 1
                index += 1
                continue
            }
            if b == Lexer.quote {
                guard let token = quoted() else { return skipRestOfLine() }
                tokens.append(token)
                continue
            }
            if b == Lexer.openBracket {
                guard let token = attributeBlock() else { return skipRestOfLine() }
                tokens.append(token)
                continue
            }
            tokens.append(word())
        }
        if parenDepth > 0 {
            diagnostics.append(Diagnostic(at: parenOpenedAt, "'(' is never closed"))
            return nil
        }
        return LogicalLine(tokens: tokens, startsWithBlank: startsWithBlank, location: start)
    }

    /// After an error inside a line, drop the rest of it so one mistake gives one message.
    mutating func skipRestOfLine() -> LogicalLine? {
        while index < bytes.count && bytes[index] != Lexer.newline { index += 1 }
        if index < bytes.count { newLine() }
        return nil
    }

    mutating func word() -> Token {
        let start = location
        var text: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            if Lexer.isBlank(b) || b == Lexer.newline || b == Lexer.semicolon || b == Lexer.openParen
                || b == Lexer.closeParen || b == Lexer.quote { break }
            if b == Lexer.backslash && index + 1 < bytes.count && bytes[index + 1] != Lexer.newline {
                text.append(b)
                text.append(bytes[index + 1])
                index += 2
                continue
            }
            text.append(b)
            index += 1
            if b == UInt8(ascii: "=") && index < bytes.count && bytes[index] == Lexer.quote {
                // key="value" in directives: the quoted value belongs to the key.
                if let value = quoted() { text.append(contentsOf: value.text) }
                break
            }
        }
        return Token(kind: .word, text: text, location: start)
    }

    mutating func quoted() -> Token? {
        let start = location
        index += 1
        var text: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            if b == Lexer.newline { break }
            if b == Lexer.backslash && index + 1 < bytes.count && bytes[index + 1] != Lexer.newline {
                text.append(b)
                text.append(bytes[index + 1])
                index += 2
                continue
            }
            if b == Lexer.quote {
                index += 1
                return Token(kind: .quoted, text: text, location: start)
            }
            text.append(b)
            index += 1
        }
        diagnostics.append(Diagnostic(at: start, "quoted string is not closed on this line"))
        return nil
    }

    /// `[policy key=value …]`; values may be double-quoted. The block stays on one line.
    mutating func attributeBlock() -> Token? {
        let start = location
        index += 1
        var children: [Token] = []
        while index < bytes.count {
            let b = bytes[index]
            if b == Lexer.newline || b == Lexer.semicolon { break }
            if Lexer.isBlank(b) { index += 1; continue }
            if b == Lexer.closeBracket {
                index += 1
                return Token(kind: .attributes, text: [], location: start, children: children)
            }
            if b == Lexer.quote {
                guard let token = quoted() else { return nil }
                children.append(token)
                continue
            }
            let childStart = location
            var text: [UInt8] = []
            while index < bytes.count {
                let c = bytes[index]
                if Lexer.isBlank(c) || c == Lexer.newline || c == Lexer.closeBracket || c == Lexer.semicolon { break }
                if c == Lexer.quote {
                    // key="value": keep the quoted value's contents with the key.
                    guard let value = quoted() else { return nil }
                    text.append(contentsOf: value.text)
                    continue
                }
                text.append(c)
                index += 1
            }
            children.append(Token(kind: .word, text: text, location: childStart))
        }
        diagnostics.append(Diagnostic(at: start, "'[' routing block is not closed with ']' on this line"))
        return nil
    }
}
