import DNSWire
import Foundation

/// The one shared secret transfers and NOTIFY are signed with (`--tsig-key`, RFC 8945,
/// hmac-sha256 only). Its description never shows the secret.
public struct TSIGKey: Sendable, CustomStringConvertible {
    public let name: DomainName
    let secret: [UInt8]

    /// The only algorithm accepted: hmac-sha256 (RFC 8945 §6 "mandatory to implement").
    public static let algorithm: DomainName = "hmac-sha256."

    public init(name: DomainName, secret: [UInt8]) {
        self.name = name.lowercased()
        self.secret = secret
    }

    public var description: String { "TSIG key \(name) (hmac-sha256)" }

    /// Why a key file was turned down: the file and line, never the secret.
    public struct FileError: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    /// Reads the key from `path`: either what `tsig-keygen` prints
    /// (`key "name" { algorithm hmac-sha256; secret "BASE64"; };`) or kdig's
    /// `hmac-sha256:name:BASE64` on one line.
    public static func load(path: String) throws(FileError) -> TSIGKey {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw FileError(file: path, line: 1, message: "cannot read the TSIG key file")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(FileError) -> TSIGKey {
        // Comments (`#`, `//`) and blank lines are skipped; the first line with content decides the form.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var content = line
            if let hash = content.firstIndex(of: "#") { content = content[..<hash] }
            if let slashes = content.range(of: "//") { content = content[..<slashes.lowerBound] }
            return content
        }
        guard let first = lines.firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            throw FileError(file: file, line: 1, message: "the TSIG key file is empty")
        }
        let firstLine = lines[first].trimmingCharacters(in: .whitespaces)
        if !firstLine.hasPrefix("key") {
            return try parseLine(firstLine, file: file, line: first + 1)
        }
        return try parseBlock(lines, file: file)
    }

    static func parseLine(_ line: String, file: String, line number: Int) throws(FileError) -> TSIGKey {
        let parts = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw FileError(file: file, line: number, message: "expected `hmac-sha256:NAME:SECRET` or a `key \"NAME\" { ... };` block")
        }
        return try make(algorithm: parts[0], name: parts[1], secret: parts[2], file: file, line: number)
    }

    static func parseBlock(_ lines: [Substring], file: String) throws(FileError) -> TSIGKey {
        var name: (String, Int)?
        var algorithm: (String, Int)?
        var secret: (String, Int)?
        for (index, line) in lines.enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if name == nil, text.hasPrefix("key"), let quoted = quotedValue(text) {
                name = (quoted, index + 1)
            }
            if text.hasPrefix("algorithm") {
                let value = text.dropFirst("algorithm".count).trimmingCharacters(in: CharacterSet(charactersIn: " \t;\""))
                algorithm = (value, index + 1)
            }
            if text.hasPrefix("secret") {
                guard let value = quotedValue(text) else { throw FileError(file: file, line: index + 1, message: "the secret must be quoted") }
                secret = (value, index + 1)
            }
        }
        guard let name else { throw FileError(file: file, line: 1, message: "no `key \"NAME\"` found") }
        guard let algorithm else { throw FileError(file: file, line: name.1, message: "the key has no `algorithm`") }
        guard let secret else { throw FileError(file: file, line: name.1, message: "the key has no `secret`") }
        _ = try make(algorithm: algorithm.0, name: name.0, secret: "", file: file, line: algorithm.1, checkSecret: false)
        return try make(algorithm: algorithm.0, name: name.0, secret: secret.0, file: file, line: secret.1)
    }

    static func quotedValue(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "\""), let close = text[text.index(after: open)...].firstIndex(of: "\"") else { return nil }
        return String(text[text.index(after: open)..<close])
    }

    static func make(algorithm: String, name: String, secret: String, file: String, line: Int,
                     checkSecret: Bool = true) throws(FileError) -> TSIGKey {
        guard algorithm.lowercased() == "hmac-sha256" else {
            throw FileError(file: file, line: line, message: "algorithm \(algorithm) is not supported (only hmac-sha256)")
        }
        guard !name.isEmpty, let keyName = try? DomainName(name, origin: .root) else {
            throw FileError(file: file, line: line, message: "the key name `\(name)` is not a domain name")
        }
        guard checkSecret else { return TSIGKey(name: keyName, secret: []) }
        guard let bytes = Data(base64Encoded: secret.trimmingCharacters(in: .whitespaces)), !bytes.isEmpty else {
            throw FileError(file: file, line: line, message: "the secret is not base64")
        }
        return TSIGKey(name: keyName, secret: Array(bytes))
    }
}
