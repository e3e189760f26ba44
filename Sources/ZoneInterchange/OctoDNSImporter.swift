import DNSWire
import Yams
import ZoneFile

/// Reads an octoDNS YAML zone (the YamlProvider's `ZONE.yaml`: record names relative to the
/// zone, each a record or a list of them) and writes it as a zone file (SPEC §2, §9).
///
/// Plain records become plain lines; `dynamic` A and AAAA records become an ALIAS tree built
/// the way octoDNS's Route 53 provider builds one (see `OctoDNSDynamicName`). octoDNS
/// manages no SOA, and usually no apex NS: the SOA is written here, and the apex NS come from
/// `nameServers` when the YAML has none. Every problem is a diagnostic at the YAML line and
/// column it came from; any error means no document.
public struct OctoDNSImporter: Sendable {
    public var origin: DomainName
    /// Apex NS targets written when the YAML manages no apex NS.
    public var nameServers: [DomainName]
    /// The SOA serial (octoDNS has no SOA to take one from).
    public var serial: UInt32

    public init(origin: DomainName, nameServers: [DomainName] = [], serial: UInt32 = 1) {
        self.origin = origin
        self.nameServers = nameServers
        self.serial = serial
    }

    /// Imports `yaml`, naming `file` in diagnostics.
    public func read(yaml: String, file: String) -> OctoDNSImport {
        var reader = OctoDNSReader(origin: origin, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            return OctoDNSImport(document: nil, diagnostics: [reader.diagnostic(for: error)])
        }
        let records = root.map { reader.records(in: $0) } ?? []
        var builder = OctoDNSZoneBuilder(origin: origin, file: file)
        builder.add(records)
        var diagnostics = reader.diagnostics + builder.diagnostics
        if !records.contains(where: { $0.owner == origin && $0.type == "NS" }) {
            if nameServers.isEmpty {
                diagnostics.append(Diagnostic(at: SourceLocation(file: file, line: 1, column: 1),
                                              "\(origin) has no NS records at its apex: octoDNS leaves them to the provider; name the servers with --ns"))
            }
            for server in nameServers {
                builder.document.records.append(.init(owner: origin, ttl: 3600, type: "NS", data: server.presentation))
            }
        }
        guard !diagnostics.contains(where: { $0.severity == .error }) else {
            return OctoDNSImport(document: nil, diagnostics: diagnostics)
        }
        let apexNS = builder.document.records.first { $0.owner == origin && $0.type == "NS" }?.data ?? "ns.\(origin.presentation)"
        let hostmaster = (try? DomainName("hostmaster", origin: origin).presentation) ?? origin.presentation
        builder.document.records.append(.init(owner: origin, ttl: 3600, type: "SOA",
                                              data: "\(apexNS) \(hostmaster) \(serial) 7200 900 1209600 300",
                                              comment: "octoDNS manages no SOA"))
        builder.document.headerComments = ["Imported from the octoDNS zone \(file)."]
        if builder.hasDynamic {
            builder.document.headerComments.append(
                "Dynamic records, named as octoDNS's Route 53 provider names them: _octodns-POOL-value holds a pool's weighted values, _octodns-POOL-pool fails over to the fallback pool's, the last to _octodns-default-pool, the record's own values.")
        }
        return OctoDNSImport(document: builder.document, diagnostics: diagnostics)
    }
}

/// What an octoDNS import gave: the zone file, or nil when there were errors, and every
/// diagnostic (warnings too) as `FILE:LINE:COLUMN: severity: MESSAGE`.
public struct OctoDNSImport: Sendable {
    public var document: ZoneFileDocument?
    public var diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}
