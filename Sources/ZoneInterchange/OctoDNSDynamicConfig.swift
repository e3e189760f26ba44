import DNSWire
import Routing
import Yams
import ZoneFile

/// A record's `dynamic` block, read and checked as octoDNS checks it: pools of weighted
/// values with an optional fallback pool (no loops, no unknown pools), and rules in order,
/// each a list of geos (`EU`, `NA-US`, `NA-US-CA`) and a pool, the last one (and only it)
/// without geos, catching every other client. Rules may route by `subnets` instead, all of
/// them (a name here routes by one policy).
struct OctoDNSDynamicConfig: Equatable {
    struct Value: Equatable {
        var address: String
        var weight: Int
        /// `obey` (health checked), `up` (never checked) or `down` (never answered).
        var status: String
        var location: SourceLocation
    }

    struct Pool: Equatable {
        var name: String
        var values: [Value]
        var fallback: String?
        var location: SourceLocation
    }

    struct Rule: Equatable {
        /// Empty for the catch-all rule.
        var geos: [String]
        /// Address prefixes, for a rule that routes by the client's subnet.
        var subnets: [String] = []
        var pool: String
    }

    /// Whether the rules route by subnet (as `cidr` sets) rather than by geo.
    var routesBySubnet: Bool { rules.contains { !$0.subnets.isEmpty } }

    /// By lower-case name (pool names become DNS labels, where case does not count).
    var pools: [String: Pool] = [:]
    var rules: [Rule] = []

    /// Reads `dynamic` of `record`; nil after any error (each one added to `diagnostics`).
    static func read(_ record: OctoDNSRecord, file: String, diagnostics: inout [Diagnostic]) -> OctoDNSDynamicConfig? {
        let before = diagnostics.count
        func at(_ node: Node?) -> SourceLocation {
            node?.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? record.location
        }
        func error(_ node: Node?, _ message: String) {
            diagnostics.append(Diagnostic(at: at(node), "\(record.owner) \(record.type) dynamic: \(message)"))
        }
        var config = OctoDNSDynamicConfig()
        guard let dynamic = record.dynamic, let poolMap = dynamic["pools"]?.mapping, !poolMap.isEmpty else {
            error(record.dynamic, "needs pools")
            return nil
        }
        for (key, node) in poolMap {
            guard let name = key.string, !name.isEmpty, name.utf8.count <= 40,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                error(key, "pool name '\(key.string ?? "")' must be 1 to 40 letters, digits, '-' or '_'")
                continue
            }
            let lower = name.lowercased()
            guard lower != "default" else {
                error(key, "pool name 'default' is taken: _octodns-default-pool holds the record's own values (the Route 53 provider's naming)")
                continue
            }
            guard config.pools[lower] == nil else {
                error(key, "pool '\(name)' is given twice (pool names are compared without case)")
                continue
            }
            guard let list = node["values"]?.sequence, !list.isEmpty else {
                error(node, "pool '\(name)' needs values")
                continue
            }
            var values: [Value] = []
            for item in list {
                guard let address = item["value"]?.string else {
                    error(item, "pool '\(name)': every value needs value:")
                    continue
                }
                let valid = record.type == "A" ? IPv4Address(address)?.description : IPv6Address(address)?.description
                guard let valid else {
                    error(item["value"], "pool '\(name)': '\(address)' is not an \(record.type == "A" ? "IPv4" : "IPv6") address")
                    continue
                }
                var weight = 1
                if let weightNode = item["weight"] {
                    guard let w = weightNode.int, (0...255).contains(w) else {
                        error(weightNode, "pool '\(name)': weight must be a whole number from 0 to 255")
                        continue
                    }
                    weight = w
                }
                var status = "obey"
                if let statusNode = item["status"] {
                    guard let s = statusNode.string?.lowercased(), ["up", "down", "obey"].contains(s) else {
                        error(statusNode, "pool '\(name)': status must be up, down or obey")
                        continue
                    }
                    status = s
                }
                values.append(Value(address: valid, weight: weight, status: status, location: at(item)))
            }
            let fallback = node["fallback"]?.string
            config.pools[lower] = Pool(name: lower, values: values, fallback: fallback?.lowercased(), location: at(key))
            if let fallback, !poolMap.keys.contains(where: { $0.string?.lowercased() == fallback.lowercased() }) {
                error(node["fallback"], "pool '\(name)' falls back to '\(fallback)', which is not a pool")
            }
        }
        for pool in config.pools.values.sorted(by: { $0.name < $1.name }) {
            var seen: [String] = [pool.name]
            var next = pool.fallback
            while let current = next, let target = config.pools[current] {
                if seen.contains(current) {
                    diagnostics.append(Diagnostic(at: pool.location, "\(record.owner) \(record.type) dynamic: pool '\(pool.name)' has a fallback loop (\((seen + [current]).joined(separator: " → ")))"))
                    break
                }
                seen.append(current)
                next = target.fallback
            }
        }
        readRules(dynamic["rules"], into: &config, at: at, error: error)
        return diagnostics.count == before ? config : nil
    }

    static func readRules(_ node: Node?, into config: inout OctoDNSDynamicConfig, at: (Node?) -> SourceLocation,
                          error: (Node?, String) -> Void) {
        guard let list = node?.sequence, !list.isEmpty else {
            error(node, "needs rules")
            return
        }
        var seen: [String: Int] = [:]
        var seenSubnets: [String: Int] = [:]
        for (index, rule) in list.enumerated() {
            let number = index + 1
            guard let pool = rule["pool"]?.string?.lowercased(), config.pools[pool] != nil else {
                error(rule["pool"] ?? rule, "rule \(number) needs pool: naming one of the pools")
                continue
            }
            var subnets: [String] = []
            for subnetNode in rule["subnets"]?.sequence.map(Array.init) ?? [] {
                guard let text = subnetNode.string, let prefix = IPPrefix(text, strict: true) else {
                    error(subnetNode, "rule \(number): subnet '\(subnetNode.string ?? "")' is not an address prefix without host bits")
                    continue
                }
                if let first = seenSubnets[prefix.description] {
                    error(subnetNode, "rule \(number): subnet \(prefix) is already in rule \(first)")
                    continue
                }
                seenSubnets[prefix.description] = number
                subnets.append(prefix.description)
            }
            if rule["subnets"] != nil, rule["geos"] != nil {
                error(rule, "rule \(number) has both subnets and geos: a name routes by CIDR or by geo here, not both")
                continue
            }
            var geos: [String] = []
            for geoNode in rule["geos"]?.sequence.map(Array.init) ?? [] {
                guard let geo = geoNode.string?.uppercased() else {
                    error(geoNode, "rule \(number): a geo must be a string")
                    continue
                }
                if let problem = geoProblem(geo) {
                    error(geoNode, "rule \(number): geo '\(geo)': \(problem)")
                    continue
                }
                if let first = seen[geo] {
                    error(geoNode, "rule \(number): geo '\(geo)' is already in rule \(first)")
                    continue
                }
                // Rules are tried in order in octoDNS, the most specific geo first here:
                // a geo below one in an earlier rule would never be reached there.
                if let wider = seen.keys.sorted().first(where: { geo.hasPrefix($0 + "-") }) {
                    error(geoNode, "rule \(number): geo '\(geo)' is inside '\(wider)' of rule \(seen[wider]!), which octoDNS tries first; put the narrower geo in an earlier rule")
                    continue
                }
                seen[geo] = number
                geos.append(geo)
            }
            let catchAll = (rule["geos"]?.sequence?.isEmpty ?? true) && (rule["subnets"]?.sequence?.isEmpty ?? true)
            if catchAll != (index == list.count - 1) {
                error(rule, index == list.count - 1
                      ? "the last rule must have no geos: it catches every other client"
                      : "rule \(number) has no geos, so it catches every client; only the last rule may")
                continue
            }
            config.rules.append(Rule(geos: geos, subnets: subnets, pool: pool))
        }
        if config.routesBySubnet, config.rules.contains(where: { !$0.geos.isEmpty }) {
            error(node, "rules mix subnets and geos: a name routes by CIDR or by geo here, not both")
        }
    }

    /// Why an octoDNS geo (`CONTINENT[-COUNTRY[-SUBDIVISION]]`) cannot be routed on, if it cannot.
    static func geoProblem(_ geo: String) -> String? {
        let parts = geo.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count) else { return "must be CONTINENT, CONTINENT-COUNTRY or CONTINENT-COUNTRY-SUBDIVISION" }
        if let problem = Route53Geography.continentProblem(parts[0]) { return problem }
        if parts.count >= 2, let problem = Route53Geography.countryProblem(parts[1]) { return problem }
        if parts.count == 3, let problem = Route53Geography.subdivisionProblem(parts[2], country: parts[1]) { return problem }
        return nil
    }

    /// A geo as routing-block attributes.
    static func attributes(_ geo: String) -> [ZoneFileDocument.Attribute] {
        let parts = geo.split(separator: "-").map(String.init)
        switch parts.count {
        case 1: return [.init("continent", parts[0])]
        case 2: return [.init("country", parts[1])]
        default: return [.init("country", parts[1]), .init("subdivision", parts[2])]
        }
    }
}
