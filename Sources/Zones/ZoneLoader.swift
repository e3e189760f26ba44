import DNSWire
import Routing
import ZoneFile

/// Turns a parsed zone file into a `Zone`, checking everything that can be checked within
/// one zone: SOA and NS at the apex, records inside the origin, CNAME exclusivity, routing
/// blocks, ids, TTLs and policies of each routed group, and health-check declarations.
/// Checks that span zones (health ids, CIDR collections, ALIAS targets and loops) are
/// `ZoneSetValidator`'s.
public struct ZoneLoader {
    public init() {}

    /// The zone, or nil when any error was found; `diagnostics` has every error and warning.
    public func load(_ parsed: ParsedZoneFile) -> (zone: Zone?, diagnostics: [Diagnostic]) {
        var state = ZoneBuildState(origin: parsed.origin)
        state.diagnostics = parsed.diagnostics
        // Most names own one or two records: sized once, the table never rehashes.
        state.names.reserveCapacity(parsed.records.count)
        state.order.reserveCapacity(parsed.records.count)
        for record in parsed.records { state.add(record) }
        state.addHealthChecks(parsed.healthChecks)
        state.addCIDR(parsed.cidrBlocks)
        let zone = state.build(file: parsed.file, files: parsed.files)
        let diagnostics = state.diagnostics.sorted { $0.location < $1.location }
        let failed = diagnostics.contains { $0.severity == .error }
        return (failed ? nil : zone, diagnostics)
    }
}

/// One routed record set while the zone is being read.
struct PendingSet {
    /// When the set was first written, to keep a group's sets in file order.
    var order: Int
    var routing: SetRouting
    var ttl: UInt32
    var type: RecordType?
    var records: [RData] = []
    var aliasTarget: DomainName?
    var location: SourceLocation
}

/// Everything written at one owner name while the zone is being read.
struct PendingName {
    var name: DomainName
    var plain: [RecordType: (ttl: UInt32, records: [RData], location: SourceLocation)] = [:]
    var simpleAlias: (target: DomainName, ttl: UInt32, location: SourceLocation)?
    /// Routed sets by group type (nil: ALIAS), each list in the order first written.
    var routed: [RecordType?: [PendingSet]] = [:]
    var firstLocation: SourceLocation
}

struct ZoneBuildState {
    let origin: DomainName
    var diagnostics: [Diagnostic] = []
    var names: [DomainName: PendingName] = [:]
    var order: [DomainName] = []
    var recordCount = 0
    var setCount = 0
    var healthChecks: [String: HealthCheckDefinition] = [:]
    var cidr: [String: CIDRCollection] = [:]
    var evaluatedTargets: [DomainName] = []
    var evaluatedSlots: [DomainName: Int32] = [:]

    init(origin: DomainName) { self.origin = origin }

    mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.error, at: location, message))
    }

    mutating func warning(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.warning, at: location, message))
    }

    mutating func add(_ record: ZoneFileRecord) {
        guard record.owner.isSubdomain(of: origin) else {
            return error(record.location, "owner \(record.owner) is outside the zone \(origin)")
        }
        if names[record.owner] == nil {
            names[record.owner] = PendingName(name: record.owner, firstLocation: record.location)
            order.append(record.owner)
        }
        let type = record.rdata?.type
        if let type, type == .soa, record.owner != origin {
            return error(record.location, "SOA record at \(record.owner) is not at the zone apex \(origin)")
        }
        guard let block = record.routing else { return addSimple(record) }
        if type == .soa || type == .ns {
            return error(block.location, "\(type!) records cannot be routed")
        }
        let routing: SetRouting
        do { routing = try RoutingBlockParser.parse(block, isAlias: type == nil) } catch {
            return diagnostics.append(error)
        }
        addRouted(record, routing: routing, type: type)
    }

    mutating func addSimple(_ record: ZoneFileRecord) {
        switch record.content {
        case .alias(let target):
            if let existing = names[record.owner]!.simpleAlias {
                return error(record.location, "\(record.owner) already has an ALIAS (to \(existing.target), line \(existing.location.line)); a simple ALIAS has one target")
            }
            names[record.owner]!.simpleAlias = (target, record.ttl, record.location)
            recordCount += 1
        case .data(let rdata):
            if var existing = names[record.owner]!.plain[rdata.type] {
                if existing.records.contains(rdata) { return }
                if rdata.type == .soa {
                    return error(record.location, "second SOA record at \(record.owner) (the first is on line \(existing.location.line)); a zone has one SOA")
                }
                if rdata.type == .cname {
                    return error(record.location, "second CNAME at \(record.owner) (to \(existing.records[0].presentation) on line \(existing.location.line)); a name has at most one CNAME")
                }
                if existing.ttl != record.ttl {
                    warning(record.location, "TTL \(record.ttl) differs from the \(rdata.type) set's TTL \(existing.ttl) (line \(existing.location.line)); using \(existing.ttl) (RFC 2181 §5.2)")
                }
                existing.records.append(rdata)
                names[record.owner]!.plain[rdata.type] = existing
            } else {
                names[record.owner]!.plain[rdata.type] = (record.ttl, [rdata], record.location)
            }
            recordCount += 1
        }
    }

    mutating func addRouted(_ record: ZoneFileRecord, routing: SetRouting, type: RecordType?) {
        var sets = names[record.owner]!.routed[type] ?? []
        if let index = sets.firstIndex(where: { $0.routing.id == routing.id }) {
            let first = sets[index]
            guard first.routing == routing else {
                return error(record.location, "set id=\(routing.id) of \(record.owner) \(record.typeName) is [\(routing.attributeText)] here but [\(first.routing.attributeText)] on line \(first.location.line); the lines of one set must match")
            }
            guard first.ttl == record.ttl else {
                return error(record.location, "set id=\(routing.id) of \(record.owner) \(record.typeName) has TTL \(record.ttl) here but \(first.ttl) on line \(first.location.line); a set has one TTL")
            }
            switch record.content {
            case .alias:
                return error(record.location, "set id=\(routing.id) of \(record.owner) already has an ALIAS target; an ALIAS set has one target")
            case .data(let rdata):
                if !sets[index].records.contains(rdata) {
                    sets[index].records.append(rdata)
                    recordCount += 1
                }
            }
        } else {
            var set = PendingSet(order: setCount, routing: routing, ttl: record.ttl, type: type, location: record.location)
            setCount += 1
            switch record.content {
            case .alias(let target): set.aliasTarget = target
            case .data(let rdata): set.records = [rdata]
            }
            sets.append(set)
            recordCount += 1
        }
        names[record.owner]!.routed[type] = sets
    }

    mutating func addHealthChecks(_ directives: [HealthCheckDirective]) {
        for directive in directives {
            switch HealthCheckDefinition.validate(directive) {
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
            case .success(var check):
                if let existing = healthChecks[check.id] {
                    check.location = existing.location
                    if existing != check {
                        error(directive.location, "health check \(check.id) is already defined differently (line \(existing.location.line))")
                    }
                    continue
                }
                healthChecks[check.id] = check
            }
        }
    }

    mutating func addCIDR(_ directives: [CIDRDirective]) {
        // Which location each block of each collection was first given to, and where.
        var owners: [String: [IPPrefix: (location: String, at: SourceLocation)]] = [:]
        for d in directives {
            var collection = cidr[d.collection] ?? CIDRCollection(name: d.collection, location: d.location)
            if d.locationName == "*" {
                error(d.locationNameLocation, "'*' is the default location of every collection; it takes no blocks")
                continue
            }
            var blocks = collection.locations[d.locationName] ?? []
            for (prefix, at) in zip(d.prefixes, d.prefixLocations) {
                if let first = owners[d.collection]?[prefix], first.location != d.locationName {
                    error(at, "block \(prefix) of collection \(d.collection) is already in location \(first.location) (line \(first.at.line)); a block belongs to one location")
                    continue
                }
                owners[d.collection, default: [:]][prefix] = (d.locationName, at)
                if !blocks.contains(prefix) { blocks.append(prefix) }
            }
            collection.locations[d.locationName] = blocks
            cidr[d.collection] = collection
        }
    }
}
