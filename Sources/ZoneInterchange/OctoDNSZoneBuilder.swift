import DNSWire
import Yams
import ZoneFile

/// Collects the zone file's lines from octoDNS records: plain records line by line, names
/// with `dynamic` A or AAAA records through `OctoDNSDynamicName`.
struct OctoDNSZoneBuilder {
    let origin: DomainName
    let file: String
    var document: ZoneFileDocument
    var diagnostics: [Diagnostic] = []
    var hasDynamic = false

    init(origin: DomainName, file: String) {
        self.origin = origin
        self.file = file
        document = ZoneFileDocument(origin: origin)
    }

    static let addressTypes: Set<String> = ["A", "AAAA"]

    mutating func add(_ records: [OctoDNSRecord]) {
        var dynamicOwners: [DomainName] = []
        for record in records where record.dynamic != nil {
            guard Self.addressTypes.contains(record.type) else {
                error(record.dynamic?.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? record.location,
                      "\(record.owner) \(record.type): dynamic records are imported for A and AAAA only (their pools become ALIAS trees, which carry addresses)")
                continue
            }
            if !dynamicOwners.contains(record.owner) { dynamicOwners.append(record.owner) }
        }
        for record in records where record.dynamic == nil || !Self.addressTypes.contains(record.type) {
            if Self.addressTypes.contains(record.type) && dynamicOwners.contains(record.owner) { continue }
            plain(record)
        }
        for owner in dynamicOwners {
            hasDynamic = true
            var name = OctoDNSDynamicName(owner: owner, file: file,
                                          records: records.filter { $0.owner == owner && Self.addressTypes.contains($0.type) })
            name.build()
            diagnostics += name.diagnostics
            if !name.diagnostics.contains(where: { $0.severity == .error }) {
                document.records += name.lines
                document.healthChecks += name.checks
                document.cidrLocations += name.cidr
            }
        }
    }

    mutating func plain(_ record: OctoDNSRecord) {
        if record.type == "ALIAS", record.owner != origin {
            warning(record.typeLocation, "\(record.owner) ALIAS: octoDNS allows ALIAS only at the zone apex; written as an ALIAS here all the same")
        }
        for value in record.values {
            do throws(OctoDNSValueProblem) {
                let line = try OctoDNSValues.line(type: record.type, value: value)
                document.records.append(.init(owner: record.owner, ttl: record.ttl, type: line.type, data: line.data))
                if record.type == "ALIAS", let target = try? DomainName(line.data), !target.isSubdomain(of: origin) {
                    warning(location(value, record), "\(record.owner) ALIAS target \(target) is outside \(origin): an ALIAS must point into a zone this server loads")
                }
            } catch let problem {
                error(problem.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? record.typeLocation,
                      "\(record.owner) \(record.type): \(problem.message)")
                if problem.mark == nil { return }
            }
        }
    }

    func location(_ node: Yams.Node, _ record: OctoDNSRecord) -> SourceLocation {
        node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? record.location
    }

    mutating func error(_ at: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(at: at, message))
    }

    mutating func warning(_ at: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.warning, at: at, message))
    }
}
