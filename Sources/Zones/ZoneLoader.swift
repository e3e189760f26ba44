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
        var builder = ZoneBuilder(origin: parsed.origin, expectedNames: parsed.records.count)
        for record in parsed.records { builder.add(record) }
        return builder.finish(parsed)
    }
}

/// Builds one zone from records handed to it one at a time, as the parser reads them:
/// plain records go straight into the zone's final RRset entries and byte arena as each
/// owner's lines end (no object per name or record), so a zone file is never held as a
/// list of parsed records, nor as pending records when it is written owner by owner.
public struct ZoneBuilder {
    var state: ZoneBuildState

    /// `expectedNames` sizes the name table (it grows past it if needed).
    public init(origin: DomainName, expectedNames: Int = 0) {
        state = ZoneBuildState(origin: origin, expectedNames: expectedNames)
    }

    /// Sized for a zone file of `expectedBytes` octets: the name table for a name per 64
    /// octets, and room reserved (address space, not memory, until it is written) for the
    /// most records and record data such a file can hold, so no big array is copied as
    /// it grows.
    public init(origin: DomainName, expectedBytes: Int) {
        state = ZoneBuildState(origin: origin, expectedNames: expectedBytes / 64)
        state.frozen.reserve(sets: expectedBytes / 12, dataBytes: expectedBytes / 2)
    }

    public mutating func add(_ record: ZoneFileRecord) { state.add(record) }

    /// The zone from every record added, with the directives and diagnostics of `parsed`
    /// (whose `records` are not read again); nil when any error was found.
    public mutating func finish(_ parsed: ParsedZoneFile) -> (zone: Zone?, diagnostics: [Diagnostic]) {
        state.diagnostics.append(contentsOf: parsed.diagnostics)
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

/// The routed sets and ALIAS written at one owner name while the zone is being read (plain
/// records are `PendingRecord`s).
struct PendingName {
    var name: DomainName
    var simpleAlias: (target: DomainName, ttl: UInt32, location: SourceLocation)?
    /// Routed sets by group type (nil: ALIAS), each list in the order first written.
    var routed: [RecordType?: [PendingSet]] = [:]
}

/// One plain record while the zone is being read: its node, type, TTL, where it was
/// written, and its RDATA's place in `ZoneBuildState.pendingData` (the current owner's
/// run) or `lateData` (an owner that came back). 28 bytes.
struct PendingRecord {
    var node: Int32
    var type: UInt16
    var file: UInt16
    var ttl: UInt32
    var line: UInt32
    var column: UInt32
    var dataStart: UInt32
    var dataLength: UInt16
}

struct ZoneBuildState {
    let origin: DomainName
    let apexLabels: Int
    var diagnostics: [Diagnostic] = []
    var table: NameTableBuilder
    /// The plain records of the current run: consecutive lines of one owner (`runNode`),
    /// frozen into `frozen` when a line of another owner comes.
    var pending: [PendingRecord] = []
    var pendingData: [UInt8] = []
    var runNode: Int32 = -1
    /// Scratch for sorting a run, kept between runs.
    var runOrder: [UInt32] = []
    /// The RRsets frozen so far, in the order their runs ended; node `i`'s are
    /// `frozen.sets[nodeSetStarts[i]...]`, `nodeSetCounts[i]` of them (0: none yet).
    var frozen = FrozenSets()
    var nodeSetStarts: [UInt32] = []
    var nodeSetCounts: [UInt16] = []
    /// Plain records of owners whose run had already ended (a zone file not written
    /// owner by owner): merged with the owner's frozen sets when the zone is built.
    var late: [PendingRecord] = []
    var lateData: [UInt8] = []
    /// The files records came from, for `PendingRecord.file`.
    var files: [String] = []
    /// Routed sets and ALIASes by node: few names have them.
    var routedNames: [Int32: PendingName] = [:]
    var apexLocation: SourceLocation?
    var recordCount = 0
    var setCount = 0
    var healthChecks: [String: HealthCheckDefinition] = [:]
    var cidr: [String: CIDRCollection] = [:]
    /// The targets of ALIASes with evaluate-target-health, and the health checks the
    /// routed sets name, each given a slot of the zone on first sight.
    var evaluatedTargets = SlotList<DomainName>()
    var healthCheckSlots = SlotList<String>()
    /// The last owner seen and its node: consecutive lines mostly share an owner.
    var lastOwner: DomainName?
    var lastNode: Int32 = 0
    /// The pending RDATA is indexed with 32 bits.
    var dataOverflow = false

    init(origin: DomainName, expectedNames: Int) {
        self.origin = origin
        apexLabels = origin.labelCount
        table = NameTableBuilder(expectedNames: max(16, expectedNames))
        _ = table.node(for: origin, apexLabels: apexLabels)
        nodeSetStarts.reserveCapacity(expectedNames)
        nodeSetCounts.reserveCapacity(expectedNames)
    }

    mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.error, at: location, message))
    }

    mutating func warning(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.warning, at: location, message))
    }

    mutating func node(for owner: DomainName) -> Int32 {
        if let lastOwner, lastOwner.wire == owner.wire { return lastNode }
        lastNode = table.node(for: owner, apexLabels: apexLabels)
        lastOwner = owner
        return lastNode
    }

    mutating func fileIndex(_ file: String) -> UInt16 {
        if let last = files.last, last == file { return UInt16(files.count - 1) }
        if let index = files.firstIndex(of: file) { return UInt16(index) }
        files.append(file)
        return UInt16(files.count - 1)
    }

    func location(of record: PendingRecord) -> SourceLocation {
        SourceLocation(file: files[Int(record.file)], line: Int(record.line), column: Int(record.column))
    }

    mutating func add(_ record: ZoneFileRecord) {
        guard record.owner.isSubdomain(of: origin) else {
            return error(record.location, "owner \(record.owner) is outside the zone \(origin)")
        }
        let node = node(for: record.owner)
        if node == 0 && apexLocation == nil { apexLocation = record.location }
        let type = record.rdata?.type
        if let type, type == .soa, node != 0 {
            return error(record.location, "SOA record at \(record.owner) is not at the zone apex \(origin)")
        }
        guard let block = record.routing else { return addSimple(record, node: node) }
        if type == .soa || type == .ns {
            return error(block.location, "\(type!) records cannot be routed")
        }
        let routing: SetRouting
        do { routing = try RoutingBlockParser.parse(block, isAlias: type == nil) } catch {
            return diagnostics.append(error)
        }
        addRouted(record, routing: routing, type: type, node: node)
    }

    mutating func addSimple(_ record: ZoneFileRecord, node: Int32) {
        switch record.content {
        case .alias(let target):
            var names = routedNames[node] ?? PendingName(name: record.owner)
            if let existing = names.simpleAlias {
                return error(record.location, "\(record.owner) already has an ALIAS (to \(existing.target), line \(existing.location.line)); a simple ALIAS has one target")
            }
            names.simpleAlias = (target, record.ttl, record.location)
            routedNames[node] = names
            recordCount += 1
        case .data(let rdata):
            if node != runNode {
                endRun()
                if !isFrozen(node) { runNode = node }
            }
            let location = record.location
            let isLate = node != runNode
            let start = isLate ? lateData.count : pendingData.count
            if isLate { RecordDataBytes.append(rdata, to: &lateData) } else { RecordDataBytes.append(rdata, to: &pendingData) }
            let end = isLate ? lateData.count : pendingData.count
            // The zone's arena is indexed with 32 bits.
            guard frozen.data.count + lateData.count + pendingData.count < Int(UInt32.max) else {
                if !dataOverflow { error(location, "zone \(origin) holds more than 4 GiB of record data") }
                dataOverflow = true
                if isLate { lateData.removeSubrange(start...) } else { pendingData.removeSubrange(start...) }
                return
            }
            let entry = PendingRecord(node: node, type: rdata.type.rawValue, file: fileIndex(location.file), ttl: record.ttl,
                                      line: UInt32(clamping: location.line), column: UInt32(clamping: location.column),
                                      dataStart: UInt32(start), dataLength: UInt16(end - start - 2))
            if isLate { late.append(entry) } else { pending.append(entry) }
        }
    }

    mutating func addRouted(_ record: ZoneFileRecord, routing: SetRouting, type: RecordType?, node: Int32) {
        var names = routedNames[node] ?? PendingName(name: record.owner)
        var sets = names.routed[type] ?? []
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
        names.routed[type] = sets
        routedNames[node] = names
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

/// Values numbered in order of first sight: a zone's slots, which groups refer to by
/// number and a snapshot keeps states for side by side.
struct SlotList<Value: Hashable> {
    private(set) var values: [Value] = []
    private var slots: [Value: Int32] = [:]

    /// The slot of `value`, given out now if it has none yet.
    mutating func slot(for value: Value) -> Int32 {
        if let slot = slots[value] { return slot }
        let slot = Int32(values.count)
        values.append(value)
        slots[value] = slot
        return slot
    }
}
