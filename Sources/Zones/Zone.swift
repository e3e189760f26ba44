import DNSWire
import Routing
import ZoneFile

/// One loaded, validated zone: immutable, shared by every query that reads it.
public final class Zone: Sendable {
    public let origin: DomainName
    /// Label count of the origin, so lookups know where the zone begins.
    public let originLabels: Int
    public let soa: SOAData
    public let soaTTL: UInt32
    /// TTL of the SOA in negative answers: min(SOA TTL, SOA MINIMUM) (RFC 2308 §3).
    public let negativeTTL: UInt32
    /// The SOA as negative answers carry it (TTL `negativeTTL`), encoded once.
    public let negativeSOASet: RRSet
    public let trie: NameTrie
    /// Records as written (routed sets count each value).
    public let recordCount: Int
    /// Every file read for this zone, the zone file first.
    public let files: [String]
    public let healthChecks: [HealthCheckDefinition]
    public let cidrCollections: [String: CIDRCollection]
    /// Every distinct target of an ALIAS with evaluate-target-health in this zone, in the
    /// order of the slots its groups' `evaluatedSlots` point at. Empty in most zones.
    public let evaluatedTargets: [DomainName]
    /// Every health check its routed sets name, in the order of the slots their groups'
    /// `healthSlots` point at.
    public let healthCheckSlots: [String]

    public init(origin: DomainName, soa: SOAData, soaTTL: UInt32, trie: NameTrie, recordCount: Int,
                files: [String], healthChecks: [HealthCheckDefinition], cidrCollections: [String: CIDRCollection],
                evaluatedTargets: [DomainName] = [], healthCheckSlots: [String] = []) {
        self.origin = origin
        self.originLabels = origin.labelCount
        self.soa = soa
        self.soaTTL = soaTTL
        self.negativeTTL = min(soaTTL, soa.minimum)
        self.negativeSOASet = RRSet(type: .soa, ttl: min(soaTTL, soa.minimum), records: [.soa(soa)])
        self.trie = trie
        self.recordCount = recordCount
        self.files = files
        self.healthChecks = healthChecks
        self.cidrCollections = cidrCollections
        self.healthCheckSlots = healthCheckSlots
        self.evaluatedTargets = evaluatedTargets
    }

    public var serial: UInt32 { soa.serial }

    /// The SOA record as it goes into negative answers.
    public var negativeSOA: ResourceRecord {
        ResourceRecord(name: origin, ttl: negativeTTL, rdata: .soa(soa))
    }

    /// Every record in canonical presentation form, one per line, as `check --print`
    /// writes them: canonical name order (RFC 4034 §6.1), then type, routing attributes
    /// after `;`.
    public func canonicalLines() -> [String] {
        var lines: [String] = []
        forEachCanonicalLine { lines.append($0) }
        return lines
    }

    /// Hands each line of `canonicalLines()` to `body` in order without keeping them all
    /// (a digest of a million-record zone needs no million strings at once).
    public func forEachCanonicalLine(_ body: (String) -> Void) {
        // Each name made once: a node's name is built from the trie on every read.
        let names = trie.nodes.map(\.name)
        let order = names.indices.sorted { names[$0] < names[$1] }
        for index in order {
            var entries: [(type: RecordType, place: Int, line: String)] = []
            trie.nodes[index].forEachRecordLine { type, place, line in entries.append((type ?? RecordType(65535), place, line)) }
            // Stable within a type: plain records, then routed sets in the order written.
            for entry in entries.enumerated().sorted(by: { ($0.element.type, $0.element.place, $0.offset) < ($1.element.type, $1.element.place, $1.offset) }) {
                body(entry.element.line)
            }
        }
    }
}

extension NameNode {
    /// Each record at this name in `check --print` form, in the order the node holds them:
    /// its type (nil for an ALIAS set), its place (0 for a plain record, 1 + k for the k-th
    /// routed set of its group) and the line. The one formatter behind `check --print`,
    /// the fleet's zone digest and `diff`'s record comparison.
    public func forEachRecordLine(_ body: (_ type: RecordType?, _ place: Int, _ line: String) -> Void) {
        for set in rrsets {
            for rdata in set.records {
                body(set.type, 0, "\(name)\t\(set.ttl)\tIN\t\(set.type)\t\(rdata.presentation)")
            }
        }
        for group in groups {
            for (k, set) in group.sets.enumerated() {
                let attributes = set.routing.rule == .simple ? "" : "\t; \(set.routing.attributeText)"
                switch set.content {
                case .records(let rrset):
                    for rdata in rrset.records {
                        body(rrset.type, 1 + k, "\(name)\t\(set.ttl)\tIN\t\(rrset.type)\t\(rdata.presentation)\(attributes)")
                    }
                case .alias(let target):
                    // A routed ALIAS set also joins the A and AAAA groups; once, with the ALIAS group.
                    guard group.type == nil else { continue }
                    body(nil, 1 + k, "\(name)\t\(set.ttl)\tIN\tALIAS\t\(target)\(attributes)")
                }
            }
        }
    }
}
