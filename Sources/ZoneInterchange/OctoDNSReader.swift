import DNSWire
import Yams
import ZoneFile

/// One octoDNS record as read from the YAML, before it becomes zone-file lines.
struct OctoDNSRecord {
    var owner: DomainName
    /// Upper case, as octoDNS spells types.
    var type: String
    var ttl: UInt32
    /// The `value` or `values` items (scalars or mappings, per type).
    var values: [Node]
    /// The `dynamic` mapping, if any.
    var dynamic: Node?
    var healthCheck: OctoDNSHealthCheck
    /// Where the record's mapping starts.
    var location: SourceLocation
    var typeLocation: SourceLocation
}

/// octoDNS's `octodns.healthcheck` settings (defaults as octoDNS gives them), plus the Route 53
/// provider's request interval and failure threshold, the provider settings that have a
/// meaning here (`measure_latency` has none). Unset provider settings keep this server's
/// defaults rather than the provider's.
struct OctoDNSHealthCheck: Equatable {
    var scheme = "https"
    var host: String?
    var path = "/_dns"
    var port = 443
    var interval: Int?
    var threshold: Int?
}

/// Turns the YAML tree into `OctoDNSRecord`s, collecting diagnostics at YAML marks.
struct OctoDNSReader {
    let origin: DomainName
    let file: String
    var diagnostics: [Diagnostic] = []

    init(origin: DomainName, file: String) {
        self.origin = origin
        self.file = file
    }

    func location(_ node: Node?, else fallback: SourceLocation? = nil) -> SourceLocation {
        if let mark = node?.mark { return SourceLocation(file: file, line: mark.line, column: mark.column) }
        return fallback ?? SourceLocation(file: file, line: 1, column: 1)
    }

    mutating func error(_ node: Node?, _ message: String, else fallback: SourceLocation? = nil) {
        diagnostics.append(Diagnostic(at: location(node, else: fallback), message))
    }

    /// The parser's own complaint, at its mark.
    func diagnostic(for error: any Error) -> Diagnostic {
        guard let yaml = error as? YamlError else {
            return Diagnostic(at: location(nil), "cannot read YAML: \(error)")
        }
        func at(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> Diagnostic {
            let text = context.map { "\(problem) (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? problem
            return Diagnostic(at: SourceLocation(file: file, line: mark.line, column: mark.column), "bad YAML: \(text)")
        }
        switch yaml {
        case .scanner(let context, let problem, let mark, _): return at(mark, problem, context)
        case .parser(let context, let problem, let mark, _): return at(mark, problem, context)
        case .composer(let context, let problem, let mark, _): return at(mark, problem, context)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            let line = Self.repeatedKey(key, after: first, in: context.text) ?? first.line
            return Diagnostic(at: SourceLocation(file: file, line: line, column: first.column),
                              "'\(key)' is given twice in one mapping (first at line \(first.line), column \(first.column))")
        default: return Diagnostic(at: location(nil), "bad YAML: \(yaml)")
        }
    }

    /// The line where `key` is written again in the block mapping of its first sight at
    /// `first`: Yams marks only the first, and the second is the one to fix.
    static func repeatedKey(_ key: String, after first: Mark, in yaml: String) -> Int? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = first.column - 1
        guard indent >= 0, first.line >= 1, first.line < lines.count else { return nil }
        for number in first.line..<lines.count {
            let line = Array(lines[number].unicodeScalars)
            guard line.count > indent else { continue }
            let head = String(String.UnicodeScalarView(line[..<indent]))
            let rest = String(String.UnicodeScalarView(line[indent...]))
            guard head.allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            if ["\(key):", "'\(key)':", "\"\(key)\":"].contains(where: { rest.hasPrefix($0) }) {
                return number + 1
            }
        }
        return nil
    }

    /// Every record of the zone, in the order written; `ignored` records are left out.
    mutating func records(in root: Node) -> [OctoDNSRecord] {
        guard let mapping = root.mapping else {
            error(root, "an octoDNS zone is a mapping of record names to records")
            return []
        }
        var result: [OctoDNSRecord] = []
        var seen: [String: SourceLocation] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error(key, "a record name must be a string")
                continue
            }
            let owner: DomainName
            do {
                owner = name.isEmpty ? origin : try DomainName(name, origin: origin)
            } catch {
                self.error(key, "bad record name '\(name)': \(error)")
                continue
            }
            if name.hasSuffix(".") {
                error(key, "record name '\(name)' must be relative to the zone ('' for the apex)")
                continue
            }
            for node in value.sequence.map(Array.init) ?? [value] {
                guard let record = record(node, owner: owner) else { continue }
                let key = "\(owner.lowercased()) \(record.type)"
                if let first = seen[key] {
                    error(node, "\(owner) \(record.type) is given twice (first at line \(first.line))")
                    continue
                }
                seen[key] = record.location
                result.append(record)
            }
        }
        return result
    }

    mutating func record(_ node: Node, owner: DomainName) -> OctoDNSRecord? {
        guard let map = node.mapping else {
            error(node, "record \(owner) must be a mapping with type and value(s)")
            return nil
        }
        guard let typeNode = map["type"], let type = typeNode.scalar?.string, !type.isEmpty else {
            error(node, "record \(owner) has no type")
            return nil
        }
        let upper = type.uppercased()
        let settings = map["octodns"]
        if let ignored = settings?["ignored"], ignored.bool == true { return nil }
        var ttl: UInt32 = 3600
        if let ttlNode = map["ttl"] {
            guard let value = ttlNode.int, (0...2_147_483_647).contains(value) else {
                error(ttlNode, "ttl of \(owner) \(upper) must be a whole number of seconds")
                return nil
            }
            ttl = UInt32(value)
        }
        var values: [Node] = []
        if let list = map["values"] {
            values = list.sequence.map(Array.init) ?? [list]
        } else if let single = map["value"] {
            values = [single]
        }
        values.removeAll { $0.null != nil }
        if values.isEmpty {
            error(node, "\(owner) \(upper) has no value or values")
            return nil
        }
        guard let healthCheck = healthCheck(settings, owner: owner, type: upper) else { return nil }
        return OctoDNSRecord(owner: owner, type: upper, ttl: ttl, values: values, dynamic: map["dynamic"],
                             healthCheck: healthCheck, location: location(node), typeLocation: location(typeNode))
    }

    mutating func healthCheck(_ settings: Node?, owner: DomainName, type: String) -> OctoDNSHealthCheck? {
        var check = OctoDNSHealthCheck()
        if let node = settings?["healthcheck"] {
            if let proto = node["protocol"] {
                guard let text = proto.string?.uppercased(), ["HTTP", "HTTPS", "TCP"].contains(text) else {
                    error(proto, "healthcheck protocol of \(owner) \(type) must be HTTP, HTTPS or TCP")
                    return nil
                }
                check.scheme = text.lowercased()
            }
            if let host = node["host"]?.string { check.host = host }
            if let pathNode = node["path"] {
                guard let path = pathNode.string, path.hasPrefix("/"), !path.contains(where: \.isWhitespace) else {
                    error(pathNode, "healthcheck path of \(owner) \(type) must start with '/' and hold no spaces")
                    return nil
                }
                check.path = path
            }
            if let portNode = node["port"] {
                guard let port = portNode.int, (1...65535).contains(port) else {
                    error(portNode, "healthcheck port of \(owner) \(type) must be 1 to 65535")
                    return nil
                }
                check.port = port
            }
        }
        if let intervalNode = settings?["route53"]?["healthcheck"]?["request_interval"] {
            guard let interval = intervalNode.int, (1...3600).contains(interval) else {
                error(intervalNode, "route53 healthcheck request_interval of \(owner) \(type) must be a number of seconds")
                return nil
            }
            check.interval = interval
        }
        if let thresholdNode = settings?["route53"]?["healthcheck"]?["failure_threshold"] {
            guard let threshold = thresholdNode.int, (1...10).contains(threshold) else {
                error(thresholdNode, "route53 healthcheck failure_threshold of \(owner) \(type) must be a whole number from 1 to 10")
                return nil
            }
            check.threshold = threshold
        }
        return check
    }
}
