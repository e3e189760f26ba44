import DNSWire
import ZoneFile

/// The ALIAS tree of one name with `dynamic` A or AAAA records, built with the names and
/// set ids octoDNS's Route 53 provider gives it, so that answers keep octoDNS's meaning:
///
/// - `_octodns-POOL-value.NAME`: one weighted set per pool value (`weight=`, id
///   `POOL-000`…), each with a health check unless its `status` is `up`; a `down` value gets
///   a check that is always unhealthy (`disabled inverted`, as the Route 53 provider does),
///   which an operator can still override up;
/// - `_octodns-POOL-pool.NAME`: a failover pair, both ALIAS with evaluate-target-health: the
///   primary to the pool's values, the secondary to the fallback pool's `-pool` name, or,
///   for a pool without fallback, to `_octodns-default-pool.NAME`, which holds the record's
///   own `values` as plain records. A pool whose values are all down therefore answers from
///   its fallback, then the fallback's fallback, and at the end from the record's values,
///   which are never unhealthy;
/// - `NAME`: one geo ALIAS per geo of each rule (`EU` → `continent=EU`, `NA-US` →
///   `country=US`, `NA-US-CA` → `country=US subdivision=CA`) to the rule's `-pool` name, and
///   `country=*` for the last rule, the catch-all that octoDNS requires; rules by `subnets`
///   become `cidr` sets instead (see `subnetRules`).
///
/// ALIAS names answer every address type from their targets, so an A and an AAAA record
/// at one name share the tree: they must have the same rules and the same fallbacks, and a
/// plain A or AAAA beside a dynamic one lives at `_octodns-default-pool.NAME` only.
struct OctoDNSDynamicName {
    let owner: DomainName
    let file: String
    let records: [OctoDNSRecord]
    var diagnostics: [Diagnostic] = []
    var lines: [ZoneFileDocument.RecordLine] = []
    var checks: [ZoneFileDocument.HealthCheckLine] = []
    var cidr: [ZoneFileDocument.CIDRLocationLine] = []

    init(owner: DomainName, file: String, records: [OctoDNSRecord]) {
        self.owner = owner
        self.file = file
        self.records = records
    }

    mutating func build() {
        var configs: [(record: OctoDNSRecord, config: OctoDNSDynamicConfig)] = []
        for record in records where record.dynamic != nil {
            guard let config = OctoDNSDynamicConfig.read(record, file: file, diagnostics: &diagnostics) else { continue }
            configs.append((record, config))
        }
        guard !configs.isEmpty, configs.count == records.filter({ $0.dynamic != nil }).count else { return }
        let (first, base) = configs[0]
        for (record, config) in configs.dropFirst() {
            if config.rules != base.rules {
                let rules = record.dynamic?["rules"]?.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
                error(rules ?? record.location, "\(owner) \(record.type) dynamic rules differ from those of \(first.type); one name's dynamic records share their rules")
            }
            for (name, pool) in config.pools where base.pools[name] != nil && base.pools[name]!.fallback != pool.fallback {
                error(pool.location, "\(owner) \(record.type) pool '\(name)' falls back differently than in \(first.type); one name's pools share their fallbacks")
            }
        }
        guard diagnostics.isEmpty else { return }
        let ttl = records.map(\.ttl).min() ?? 3600
        guard let values = try? label("_octodns-default-pool") else {
            error(records[0].location, "\(owner): _octodns-default-pool.\(owner) is longer than DNS allows")
            return
        }

        for record in records {
            for value in record.values {
                guard let line = try? OctoDNSValues.line(type: record.type, value: value) else {
                    error(value.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? record.location,
                          "\(owner) \(record.type): '\(value.string ?? "")' is not an address of that type")
                    continue
                }
                lines.append(.init(owner: values, ttl: record.ttl, type: line.type, data: line.data))
            }
        }

        var pools: [String: OctoDNSDynamicConfig.Pool] = [:]
        for (_, config) in configs { pools.merge(config.pools) { kept, _ in kept } }
        for name in pools.keys.sorted() {
            guard let valueName = try? label("_octodns-\(name)-value"), let poolName = try? label("_octodns-\(name)-pool") else {
                error(pools[name]!.location, "\(owner): pool '\(name)' makes a name longer than DNS allows")
                continue
            }
            for (record, config) in configs {
                guard let pool = config.pools[name] else { continue }
                for (index, value) in pool.values.enumerated() {
                    let check = healthCheck(record, pool: name, index: index, value: value)
                    var attributes: [ZoneFileDocument.Attribute] = [.init("weight", String(value.weight))]
                    if let check { attributes.append(.init("health", check)) }
                    lines.append(.init(owner: valueName, routing: .init(policy: "weighted", id: Self.valueID(name, index), attributes: attributes),
                                       ttl: record.ttl, type: record.type, data: value.address))
                }
            }
            let fallback = pools[name]!.fallback.flatMap { try? label("_octodns-\($0)-pool") } ?? values
            let evaluate = ZoneFileDocument.Attribute("evaluate-target-health", "true")
            lines.append(.init(owner: poolName, routing: .init(policy: "failover", id: "\(name)-Primary", attributes: [.init("role", "primary"), evaluate]),
                               ttl: ttl, type: "ALIAS", data: valueName.presentation))
            lines.append(.init(owner: poolName, routing: .init(policy: "failover", id: "\(name)-Secondary-\(pools[name]!.fallback ?? "default")", attributes: [.init("role", "secondary"), evaluate]),
                               ttl: ttl, type: "ALIAS", data: fallback.presentation,
                               comment: pools[name]!.fallback.map { "fallback pool \($0)" } ?? "no fallback pool: the record's values"))
        }

        if base.routesBySubnet {
            subnetRules(base.rules, ttl: ttl)
            return
        }
        for (index, rule) in base.rules.enumerated() {
            guard let target = try? label("_octodns-\(rule.pool)-pool") else { continue }
            let evaluate = ZoneFileDocument.Attribute("evaluate-target-health", "true")
            // The Route 53 provider's set ids: rule index, pool, geo ("None" for the catch-all).
            if rule.geos.isEmpty {
                lines.append(.init(owner: owner, routing: .init(policy: "geo", id: "\(index)-\(rule.pool)-None", attributes: [.init("country", "*"), evaluate]),
                                   ttl: ttl, type: "ALIAS", data: target.presentation, comment: "rule \(index + 1), the catch-all"))
            }
            for geo in rule.geos {
                lines.append(.init(owner: owner, routing: .init(policy: "geo", id: "\(index)-\(rule.pool)-\(geo)", attributes: OctoDNSDynamicConfig.attributes(geo) + [evaluate]),
                                   ttl: ttl, type: "ALIAS", data: target.presentation, comment: "rule \(index + 1)"))
            }
        }
    }

    /// Subnet rules as `cidr` sets of one collection named after the name, a location per
    /// rule (`rule1`, …) and `location=*` for the catch-all, as the Route 53 provider makes
    /// CIDR routing records (set ids `INDEX-POOL-subnet`).
    mutating func subnetRules(_ rules: [OctoDNSDynamicConfig.Rule], ttl: UInt32) {
        let collection = Self.checkID("octodns-\(owner.presentation.dropLast())")
        let evaluate = ZoneFileDocument.Attribute("evaluate-target-health", "true")
        for (index, rule) in rules.enumerated() {
            guard let target = try? label("_octodns-\(rule.pool)-pool") else { continue }
            let location = rule.subnets.isEmpty ? "*" : "rule\(index + 1)"
            if !rule.subnets.isEmpty {
                cidr.append(.init(collection: collection, location: location, prefixes: rule.subnets,
                                  comment: "octoDNS \(owner) rule \(index + 1)"))
            }
            lines.append(.init(owner: owner, routing: .init(policy: "cidr", id: "\(index)-\(rule.pool)-subnet",
                                                            attributes: [.init("collection", collection), .init("location", location), evaluate]),
                               ttl: ttl, type: "ALIAS", data: target.presentation,
                               comment: rule.subnets.isEmpty ? "rule \(index + 1), the catch-all" : "rule \(index + 1)"))
        }
    }

    /// The Route 53 provider's set id of a pool value: the pool and the value's index.
    static func valueID(_ pool: String, _ index: Int) -> String {
        let digits = String(index)
        return "\(pool)-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// The `$HEALTHCHECK` of a pool value, and its id; nil for `status: up`.
    mutating func healthCheck(_ record: OctoDNSRecord, pool: String, index: Int, value: OctoDNSDynamicConfig.Value) -> String? {
        guard value.status != "up" else { return nil }
        let id = Self.checkID("\(owner.presentation.dropLast())-\(record.type)-\(Self.valueID(pool, index))")
        let settings = record.healthCheck
        let address = value.address.contains(":") ? "[\(value.address)]" : value.address
        var attributes: [ZoneFileDocument.Attribute] = []
        let target: String
        if settings.scheme == "tcp" {
            target = "tcp://\(address):\(settings.port)"
        } else {
            target = "\(settings.scheme)://\(address):\(settings.port)\(settings.path)"
            attributes.append(.init("host", settings.host ?? String(owner.presentation.dropLast())))
        }
        if let interval = settings.interval { attributes.append(.init("interval", "\(interval)s")) }
        if let threshold = settings.threshold { attributes.append(.init("threshold", String(threshold))) }
        var comment = "octoDNS \(owner) \(record.type) pool \(pool) value \(value.address)"
        if value.status == "down" {
            attributes += [.init("disabled"), .init("inverted")]
            comment += " (status down: never healthy unless overridden up)"
        }
        checks.append(.init(id: id, target: target, attributes: attributes, comment: comment))
        return id
    }

    /// A health check id (letters, digits, `-`, `_`, `.`; at most 64): the name, type and the
    /// value's set id, or, when that is too long, its start and a hash of the whole.
    static func checkID(_ text: String) -> String {
        let clean = String(text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
        guard clean.utf8.count > 64 else { return clean }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in clean.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16)
        return String(clean.prefix(47)) + "-" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    func label(_ text: String) throws -> DomainName {
        try owner.prepending(label: Array(text.utf8))
    }

    mutating func error(_ at: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(at: at, message))
    }
}
