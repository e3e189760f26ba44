import Foundation

/// JSON as the AWS CLI prints it (Python's `json.dumps(indent=4, ensure_ascii=False)`):
/// members in the API model's order, four-space indents, so an export reads like the
/// output of `aws route53 list-resource-record-sets` and diffs cleanly against it.
indirect enum Route53JSONValue {
    case string(String)
    case number(Int)
    case bool(Bool)
    case array([Route53JSONValue])
    case object([(String, Route53JSONValue)])

    func text() -> String {
        var out = ""
        write(to: &out, indent: 0)
        return out + "\n"
    }

    func write(to out: inout String, indent: Int) {
        let inner = String(repeating: " ", count: indent + 4)
        let outer = String(repeating: " ", count: indent)
        switch self {
        case .string(let s): Self.quote(s, to: &out)
        case .number(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += inner
                item.write(to: &out, indent: indent + 4)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += outer + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += inner
                Self.quote(key, to: &out)
                out += ": "
                value.write(to: &out, indent: indent + 4)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += outer + "}"
        }
    }

    static func quote(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// A JSON file that did not decode into the shape expected, with the JSON path of the
/// member at fault (`ResourceRecordSets[3].TTL`).
public struct Route53JSONError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension Route53JSONValue {
    /// Decodes `bytes` as `T`, turning Foundation's decoding errors into a JSON path and a
    /// sentence.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], shape: String) throws(Route53JSONError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            switch error {
            case .keyNotFound(let key, let context):
                throw Route53JSONError(path: path(context.codingPath), message: "member \(key.stringValue) is missing (expected \(shape))")
            case .typeMismatch(let expected, let context):
                throw Route53JSONError(path: path(context.codingPath), message: "expected \(describe(expected))")
            case .valueNotFound(let expected, let context):
                throw Route53JSONError(path: path(context.codingPath), message: "expected \(describe(expected)), found null")
            case .dataCorrupted(let context):
                let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                throw Route53JSONError(path: path(context.codingPath), message: "not valid JSON (\(detail ?? context.debugDescription))")
            @unknown default:
                throw Route53JSONError(path: "", message: "\(error)")
            }
        } catch {
            throw Route53JSONError(path: "", message: "\(error)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "an array"
        default: return "an object"
        }
    }
}
