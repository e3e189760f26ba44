import DNSWire

/// Splits RDATA text into tokens the way a master-file reader would: whitespace
/// separates tokens, `"..."` is one quoted token, and backslash escapes stay in the
/// token text (the RDATA parsers resolve them).
func presentationTokens(_ text: String) -> [PresentationToken] {
    let bytes = Array(text.utf8)
    var tokens: [PresentationToken] = []
    var i = 0
    func isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
    while i < bytes.count {
        if isSpace(bytes[i]) { i += 1; continue }
        var token: [UInt8] = []
        if bytes[i] == UInt8(ascii: "\"") {
            i += 1
            while i < bytes.count && bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") && i + 1 < bytes.count {
                    token.append(bytes[i])
                    i += 1
                }
                token.append(bytes[i])
                i += 1
            }
            precondition(i < bytes.count, "unterminated quote in fixture \(text)")
            i += 1
            tokens.append(PresentationToken(token, isQuoted: true))
        } else {
            while i < bytes.count && !isSpace(bytes[i]) {
                if bytes[i] == UInt8(ascii: "\\") && i + 1 < bytes.count {
                    token.append(bytes[i])
                    i += 1
                }
                token.append(bytes[i])
                i += 1
            }
            tokens.append(PresentationToken(token))
        }
    }
    return tokens
}
