import Foundation
import HealthChecks

/// Where the fleet's state lives in etcd, under `--cluster-prefix` (default `/switchyard/`):
///
///     state/overrides                   every override, one JSON document; its modification
///                                       revision is the state revision (the version key)
///     history/<unix-ns>-<instance>-<n>  one override change, written with the overrides
///     instances/<instance>              the instance's report, under its lease
///     observations/<vantage>/<check>    what a vantage saw of a check, under its lease
///     deploy/commit                     the commit the fleet is asked to serve
struct FleetKeys: Sendable {
    let prefix: String

    init(prefix: String) {
        self.prefix = prefix.hasSuffix("/") ? prefix : prefix + "/"
    }

    var overrides: String { prefix + "state/overrides" }
    var history: String { prefix + "history/" }
    var instances: String { prefix + "instances/" }
    var observations: String { prefix + "observations/" }
    var deploy: String { prefix + "deploy/commit" }

    func history(at date: Date, instance: String, index: Int) -> String {
        let nanoseconds = UInt64(max(0, date.timeIntervalSince1970) * 1_000_000_000)
        return history + String(repeating: "0", count: max(0, 20 - String(nanoseconds).count)) + "\(nanoseconds)-\(instance)-\(index)"
    }

    /// True when `key` is a history entry written by `instance`.
    func isHistory(_ key: String, writtenBy instance: String) -> Bool {
        guard key.hasPrefix(history) else { return false }
        let rest = key.dropFirst(history.count + 21)
        guard rest.hasPrefix(instance + "-") else { return false }
        let index = rest.dropFirst(instance.count + 1)
        return !index.isEmpty && index.allSatisfy(\.isNumber)
    }

    func instance(_ name: String) -> String { instances + name }
    func observation(vantage: String, check: String) -> String { observations + vantage + "/" + check }

    /// (vantage, check) of an observation key.
    func observationParts(_ key: String) -> (vantage: String, check: String)? {
        guard key.hasPrefix(observations) else { return nil }
        let rest = key.dropFirst(observations.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let vantage = String(rest[..<slash]), check = String(rest[rest.index(after: slash)...])
        guard !vantage.isEmpty, !check.isEmpty else { return nil }
        return (vantage, check)
    }

    /// Instance and vantage names become key segments: 1 to 64 letters, digits, '-', '_', '.'.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}

/// The JSON stored in etcd's values.
enum FleetCodec {
    struct OverridesDocument: Codable {
        var version: Int
        var overrides: [String: HealthOverride]
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        (try? Array(encoder.encode(value))) ?? []
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        try? decoder.decode(type, from: Data(bytes))
    }
}
