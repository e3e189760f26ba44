import DNSWire
import ZoneFile

/// A `$HEALTHCHECK` declaration, validated: what to probe, how often, and how results turn
/// into a state (SPEC §2, ROUTE53.md §4).
public struct HealthCheckDefinition: Hashable, Sendable {
    /// What the check probes.
    public enum Target: Hashable, Sendable, CustomStringConvertible {
        case http(host: String, port: Int, path: String)
        case https(host: String, port: Int, path: String)
        case tcp(host: String, port: Int)
        /// Healthy when at least `minHealthy` of `children` are healthy.
        case calculated(children: [String], minHealthy: Int)

        public var description: String {
            switch self {
            case .http(let h, let p, let path): return "http://\(HealthCheckDefinition.hostText(h)):\(p)\(path)"
            case .https(let h, let p, let path): return "https://\(HealthCheckDefinition.hostText(h)):\(p)\(path)"
            case .tcp(let h, let p): return "tcp://\(HealthCheckDefinition.hostText(h)):\(p)"
            case .calculated(let c, let m): return "calculated children=\(c.joined(separator: ",")) min-healthy=\(m)"
            }
        }
    }

    public var id: String
    public var target: Target
    /// Seconds between probes (default 30).
    public var interval: UInt32 = 30
    /// Seconds allowed for the response once connected (default 2).
    public var timeout: UInt32 = 2
    /// Consecutive results needed to change state (default 3).
    public var threshold: Int = 3
    /// Host header and TLS SNI for HTTP(S).
    public var hostHeader: String?
    /// Substring required in the first 5,120 bytes of the body.
    public var match: String?
    public var inverted = false
    public var disabled = false
    public var region: String?
    /// How the fleet's vantages combine (SPEC §6); one instance alone is one vantage.
    public var vantages: VantageRule = .quorum
    public var location: SourceLocation

    public init(id: String, target: Target, location: SourceLocation) {
        self.id = id
        self.target = target
        self.location = location
    }

    static func hostText(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}

extension HealthCheckDefinition {
    /// Validates a directive; every problem becomes a diagnostic at the key that caused it.
    public static func validate(_ directive: HealthCheckDirective) -> Result<HealthCheckDefinition, Diagnostic> {
        do {
            return .success(try build(directive))
        } catch {
            return .failure(error)
        }
    }

    static func build(_ d: HealthCheckDirective) throws(Diagnostic) -> HealthCheckDefinition {
        guard isValidIdentifier(d.id) else {
            throw Diagnostic(at: d.location, "health check id '\(d.id)' must be 1 to 64 letters, digits, '-', '_' or '.'")
        }
        var options = d.options
        let target: Target
        if d.target == "calculated" {
            target = try calculatedTarget(d, options: &options)
        } else {
            target = try urlTarget(d.target, at: d.targetLocation)
        }
        var check = HealthCheckDefinition(id: d.id, target: target, location: d.location)
        var seen: Set<String> = []
        for option in options {
            guard seen.insert(option.key).inserted else {
                throw Diagnostic(at: option.location, "health check key '\(option.key)' given twice")
            }
            try check.apply(option)
        }
        let kind: String? = switch target {
        case .calculated: "calculated"
        case .tcp: "tcp"
        case .http, .https: nil
        }
        if let kind, let option = options.first(where: { $0.key == "host" || $0.key == "match" }) {
            throw Diagnostic(at: option.location, "a \(kind) health check takes no \(option.key)= (only http and https checks do)")
        }
        return check
    }

    mutating func apply(_ option: Attribute) throws(Diagnostic) {
        func value() throws(Diagnostic) -> String {
            guard let v = option.value, !v.isEmpty else {
                throw Diagnostic(at: option.location, "health check key '\(option.key)' needs a value")
            }
            return v
        }
        func seconds(_ range: ClosedRange<UInt32>) throws(Diagnostic) -> UInt32 {
            let text = try value()
            guard let v = TimeValue.parse(text), range.contains(v) else {
                throw Diagnostic(at: option.location, "\(option.key)=\(text) must be a duration from \(range.lowerBound)s to \(range.upperBound)s")
            }
            return v
        }
        switch option.key {
        case "interval": interval = try seconds(1...3600)
        case "timeout": timeout = try seconds(1...60)
        case "threshold":
            guard let v = Int(try value()), (1...10).contains(v) else {
                throw Diagnostic(at: option.location, "threshold must be a whole number from 1 to 10")
            }
            threshold = v
        case "host": hostHeader = try value()
        case "match":
            let m = try value()
            guard m.utf8.count <= 255 else { throw Diagnostic(at: option.location, "match string longer than 255 bytes") }
            match = m
        case "region": region = try value()
        case "vantages":
            let text = try value()
            guard let rule = VantageRule(rawValue: text.lowercased()) else {
                throw Diagnostic(at: option.location, "vantages=\(text) must be quorum, route53, all or any")
            }
            vantages = rule
        case "inverted", "disabled":
            guard option.value == nil else {
                throw Diagnostic(at: option.location, "'\(option.key)' is a bare flag and takes no value")
            }
            if option.key == "inverted" { inverted = true } else { disabled = true }
        default:
            throw Diagnostic(at: option.location, "unknown health check key '\(option.key)' (known: interval, timeout, threshold, host, match, inverted, disabled, region, vantages)")
        }
    }

    static func calculatedTarget(_ d: HealthCheckDirective, options: inout [Attribute]) throws(Diagnostic) -> Target {
        guard let childrenIndex = options.firstIndex(where: { $0.key == "children" }) else {
            throw Diagnostic(at: d.targetLocation, "a calculated health check needs children=ID,ID,…")
        }
        let childrenOption = options.remove(at: childrenIndex)
        let children = (childrenOption.value ?? "").split(separator: ",").map(String.init)
        guard !children.isEmpty, children.allSatisfy(isValidIdentifier) else {
            throw Diagnostic(at: childrenOption.location, "children= must list health check ids separated by commas")
        }
        guard Set(children).count == children.count else {
            throw Diagnostic(at: childrenOption.location, "children= lists a health check twice")
        }
        var minHealthy = children.count
        if let minIndex = options.firstIndex(where: { $0.key == "min-healthy" }) {
            let option = options.remove(at: minIndex)
            guard let v = option.value.flatMap({ Int($0) }), v >= 0 else {
                throw Diagnostic(at: option.location, "min-healthy must be a whole number of children, 0 or more")
            }
            minHealthy = v
        }
        return .calculated(children: children, minHealthy: minHealthy)
    }

    static func urlTarget(_ text: String, at location: SourceLocation) throws(Diagnostic) -> Target {
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw Diagnostic(at: location, "health check target '\(text)' must be http://, https://, tcp:// or 'calculated'")
        }
        let scheme = String(text[..<schemeEnd.lowerBound]).lowercased()
        let rest = text[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority)
        var port: Int? = nil
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw Diagnostic(at: location, "unclosed '[' in health check target") }
            let after = host[host.index(after: close)...]
            let inner = String(host[host.index(after: host.startIndex)..<close])
            if after.hasPrefix(":") { port = Int(after.dropFirst()) ?? -1 } else if !after.isEmpty {
                throw Diagnostic(at: location, "bad address in health check target '\(text)'")
            }
            host = inner
        } else if let colon = host.lastIndex(of: ":") {
            port = Int(host[host.index(after: colon)...]) ?? -1
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw Diagnostic(at: location, "health check target '\(text)' has no host") }
        if let port, !(1...65535).contains(port) {
            throw Diagnostic(at: location, "health check target '\(text)' has a bad port")
        }
        let pathText = path.isEmpty ? "/" : String(path)
        switch scheme {
        case "http": return .http(host: host, port: port ?? 80, path: pathText)
        case "https": return .https(host: host, port: port ?? 443, path: pathText)
        case "tcp":
            guard let port else { throw Diagnostic(at: location, "tcp health check target '\(text)' needs a port") }
            guard path.isEmpty else { throw Diagnostic(at: location, "tcp health check target '\(text)' takes no path") }
            return .tcp(host: host, port: port)
        default:
            throw Diagnostic(at: location, "health check scheme '\(scheme)' is not http, https or tcp")
        }
    }

    static func isValidIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    }

    static func isValidIdentifier(_ text: Substring) -> Bool { isValidIdentifier(String(text)) }
}
