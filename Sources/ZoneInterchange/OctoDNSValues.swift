import DNSWire
import Yams

/// A value that cannot be written, with the YAML node to point at.
struct OctoDNSValueProblem: Error {
    /// Where in the YAML; nil when the whole record is at fault.
    var mark: Mark?
    var message: String

    init(_ node: Node?, _ message: String) {
        self.mark = node?.mark
        self.message = message
    }
}

/// One octoDNS value in zone-file form: the type mnemonic and the data in presentation form.
/// Types this server answers by name are written by name; SSHFP, TLSA and NAPTR, which it
/// serves as opaque data, in the RFC 3597 form (`TYPE44 \# …`). Everything else (DNAME,
/// LOC, DS, SVCB/HTTPS, URLFWD, …) is refused: serving such a record as opaque data would
/// silently drop what it means (a DNAME's redirection, a URLFWD's forwarding).
enum OctoDNSValues {
    /// The octoDNS types this importer writes.
    static let supported = ["A", "AAAA", "ALIAS", "CAA", "CNAME", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV", "SSHFP", "TLSA", "TXT"]

    static func line(type: String, value: Node) throws(OctoDNSValueProblem) -> (type: String, data: String) {
        switch type {
        case "A":
            guard let text = value.string, let address = IPv4Address(text) else { throw .init(value, "'\(value.string ?? "")' is not an IPv4 address") }
            return (type, address.description)
        case "AAAA":
            guard let text = value.string, let address = IPv6Address(text) else { throw .init(value, "'\(value.string ?? "")' is not an IPv6 address") }
            return (type, address.description)
        case "CNAME", "ALIAS", "PTR", "NS":
            return (type, try name(value, value))
        case "MX":
            let preference = try number(value, "preference", else: "priority", max: 65535)
            let exchange = try name(value["exchange"] ?? value["value"], value, field: "exchange")
            return (type, "\(preference) \(exchange)")
        case "SRV":
            let priority = try number(value, "priority", max: 65535)
            let weight = try number(value, "weight", max: 65535)
            let port = try number(value, "port", max: 65535)
            let target = try name(value["target"], value, field: "target")
            return (type, "\(priority) \(weight) \(port) \(target)")
        case "CAA":
            let flags = value["flags"] == nil ? 0 : try number(value, "flags", max: 255)
            let tag = try text(value, "tag")
            guard !tag.isEmpty, tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw .init(value["tag"], "CAA tag '\(tag)' must be letters and digits")
            }
            return (type, "\(flags) \(tag) \(quoted(Array(try text(value, "value").utf8)))")
        case "TXT", "SPF":
            guard let text = value.string else { throw .init(value, "a \(type) value must be a string") }
            return (type, txt(text))
        case "SSHFP":
            let algorithm = try number(value, "algorithm", max: 255)
            let kind = try number(value, "fingerprint_type", max: 255)
            let fingerprint = try hex(value, "fingerprint")
            return ("TYPE44", generic([UInt8(algorithm), UInt8(kind)] + fingerprint))
        case "TLSA":
            let usage = try number(value, "certificate_usage", max: 255)
            let selector = try number(value, "selector", max: 255)
            let matching = try number(value, "matching_type", max: 255)
            let data = try hex(value, "certificate_association_data")
            return ("TYPE52", generic([UInt8(usage), UInt8(selector), UInt8(matching)] + data))
        case "NAPTR":
            var wire = WireBytes()
            wire.u16(try number(value, "order", max: 65535))
            wire.u16(try number(value, "preference", max: 65535))
            for field in ["flags", "service", "regexp"] {
                let bytes = Array(try text(value, field).utf8)
                guard bytes.count <= 255 else { throw .init(value[field], "NAPTR \(field) is longer than 255 bytes") }
                wire.bytes.append(UInt8(bytes.count))
                wire.bytes += bytes
            }
            let replacement = try name(value["replacement"], value, field: "replacement")
            wire.bytes += (try? DomainName(replacement))?.wire ?? [0]
            return ("TYPE35", generic(wire.bytes))
        default:
            throw .init(nil, "type \(type) is not served here (supported: \(supported.joined(separator: ", ")))")
        }
    }

    /// An absolute name; octoDNS requires the trailing dot, and so does this importer, so
    /// that no name is silently made relative to the zone.
    static func name(_ node: Node?, _ parent: Node, field: String = "value") throws(OctoDNSValueProblem) -> String {
        guard let node, let text = node.string, !text.isEmpty else { throw .init(parent, "\(field) is missing") }
        guard text.hasSuffix(".") else { throw .init(node, "\(field) '\(text)' must be a fully qualified name ending in '.'") }
        do {
            return try DomainName(text).presentation
        } catch {
            throw .init(node, "\(field) '\(text)' is not a domain name: \(error)")
        }
    }

    static func number(_ value: Node, _ key: String, else other: String? = nil, max: Int) throws(OctoDNSValueProblem) -> Int {
        guard let node = value[key] ?? other.flatMap({ value[$0] }) else { throw .init(value, "\(key) is missing") }
        guard let number = node.int, (0...max).contains(number) else { throw .init(node, "\(key) must be a whole number from 0 to \(max)") }
        return number
    }

    static func text(_ value: Node, _ key: String) throws(OctoDNSValueProblem) -> String {
        guard let node = value[key] else { throw .init(value, "\(key) is missing") }
        guard let text = node.string else { throw .init(node, "\(key) must be a string") }
        return text
    }

    static func hex(_ value: Node, _ key: String) throws(OctoDNSValueProblem) -> [UInt8] {
        let text = try self.text(value, key)
        let digits = Array(text.utf8)
        var bytes: [UInt8] = []
        guard !digits.isEmpty, digits.count % 2 == 0 else { throw .init(value[key], "\(key) must be an even number of hex digits") }
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i...i + 1], as: UTF8.self), radix: 16) else {
                throw .init(value[key], "\(key) must be hex digits")
            }
            bytes.append(byte)
        }
        return bytes
    }

    /// `\# LENGTH HEX` (RFC 3597 §5).
    static func generic(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        return "\\# \(bytes.count) \(hex)"
    }

    /// octoDNS escapes `;` as `\;` in TXT values; the text is cut into strings of at most
    /// 255 bytes, as octoDNS's providers do.
    static func txt(_ value: String) -> String {
        let bytes = Array(value.replacingOccurrences(of: "\\;", with: ";").utf8)
        if bytes.isEmpty { return "\"\"" }
        var chunks: [String] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + 255, bytes.count)
            chunks.append(quoted(Array(bytes[start..<end])))
            start = end
        }
        return chunks.joined(separator: " ")
    }

    /// A quoted character-string with `"` and `\` escaped and other non-printing bytes as `\DDD`.
    static func quoted(_ bytes: [UInt8]) -> String {
        var out = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += "\\" + String(UnicodeScalar(byte))
            case 0x20...0x7E: out += String(UnicodeScalar(byte))
            default: out += "\\" + String(format3: byte)
            }
        }
        return out + "\""
    }
}

/// Big-endian octets for the RFC 3597 forms.
struct WireBytes {
    var bytes: [UInt8] = []

    mutating func u16(_ value: Int) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }
}
