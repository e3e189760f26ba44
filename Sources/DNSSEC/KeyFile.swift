import DNSWire
import Foundation
import Crypto

/// A key file that cannot be used, naming the file.
public struct KeyFileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Key files in BIND's layout, so keys move to and from BIND and Knot: for each zone
/// `K<zone>.+013+<tag>.private` (mode 0600, `Private-key-format: v1.3`) and
/// `K<zone>.+013+<tag>.key` (the DNSKEY record). A folder of them is what
/// `--dnssec-keys` reads.
public enum KeyFile {
    /// The base name (without `.key` or `.private`) of `key`'s files.
    public static func baseName(of key: ZoneSigningKey) -> String {
        let tag = String(key.keyTag)
        return "K\(key.zone.presentation)+013+\(String(repeating: "0", count: max(0, 5 - tag.count)) + tag)"
    }

    /// Writes `key`'s two files into `folder`; the private one is created with mode 0600
    /// and never overwritten. Returns the private file's path.
    @discardableResult
    public static func write(_ key: ZoneSigningKey, into folder: String) throws -> String {
        let base = (folder as NSString).appendingPathComponent(baseName(of: key))
        let privateText = """
            Private-key-format: v1.3
            Algorithm: 13 (ECDSAP256SHA256)
            PrivateKey: \(key.privateScalar.base64EncodedString())

            """
        try create(base + ".private", contents: privateText, mode: 0o600)
        try create(base + ".key", contents: "; zone-signing key \(key.keyTag) for \(key.zone.presentation)\n\(key.dnskeyRecord)\n", mode: 0o644)
        return base + ".private"
    }

    static func create(_ path: String, contents: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw KeyFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        // The mode given to open is masked by the umask; set it exactly.
        fchmod(fd, mode)
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw KeyFileError(path: path, reason: "short write") }
    }

    /// Reads one `.private` file; the zone comes from its name.
    public static func read(privateFile path: String) throws -> ZoneSigningKey {
        let name = (path as NSString).lastPathComponent
        guard name.hasPrefix("K"), name.hasSuffix(".private"), let marker = name.range(of: "+013+") else {
            throw KeyFileError(path: path, reason: "not a key file name (K<zone>.+013+<tag>.private; only algorithm 13 is supported)")
        }
        let zoneText = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
        let tagText = String(name[marker.upperBound...].dropLast(".private".count))
        guard let zone = try? DomainName(zoneText.hasSuffix(".") ? zoneText : zoneText + ".") else {
            throw KeyFileError(path: path, reason: "'\(zoneText)' is not a zone name")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw KeyFileError(path: path, reason: "cannot be read")
        }
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].trimmingCharacters(in: .whitespaces)] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let algorithm = fields["Algorithm"], algorithm.split(separator: " ").first == "13" else {
            throw KeyFileError(path: path, reason: "Algorithm must be 13 (ECDSAP256SHA256)")
        }
        // The message names the field, never its value.
        guard let encoded = fields["PrivateKey"], let scalar = Data(base64Encoded: encoded),
              let privateKey = try? P256.Signing.PrivateKey(rawRepresentation: scalar) else {
            throw KeyFileError(path: path, reason: "PrivateKey is not a base64 P-256 private key")
        }
        let key = ZoneSigningKey(zone: zone, privateKey: privateKey)
        if let tag = Int(tagText), tag != Int(key.keyTag) {
            throw KeyFileError(path: path, reason: "the key's tag is \(key.keyTag), not \(tagText) as the file name says")
        }
        return key
    }

    /// Every key in `folder` (its `.private` files); two keys for one zone are an error.
    public static func readFolder(_ folder: String) throws -> [ZoneSigningKey] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw KeyFileError(path: folder, reason: "cannot list the folder")
        }
        var keys: [ZoneSigningKey] = []
        var seen: [DomainName: String] = [:]
        for name in names.sorted() where name.hasSuffix(".private") {
            let path = (folder as NSString).appendingPathComponent(name)
            let key = try read(privateFile: path)
            if let other = seen[key.zone] {
                throw KeyFileError(path: path, reason: "a second key for \(key.zone.presentation) (the first is \(other))")
            }
            seen[key.zone] = name
            keys.append(key)
        }
        return keys
    }
}
