import Authority
import DNSWire
import Zones

/// What changed in a plain zone from one serial to the next: the records deleted and
/// added, as one step of an IXFR answer (RFC 1995 §4). SOA records are not in the lists;
/// the step's two SOAs frame them.
public struct ZoneDelta: Sendable {
    public var from: TransferRecord
    public var to: TransferRecord
    public var deleted: [TransferRecord]
    public var added: [TransferRecord]

    public var fromSerial: UInt32 { ZoneDelta.serial(of: from) }
    public var toSerial: UInt32 { ZoneDelta.serial(of: to) }

    /// Octets this step holds in memory.
    public var footprint: Int { (deleted + added).reduce(from.footprint + to.footprint) { $0 + $1.footprint } }

    /// The serial field of an SOA's uncompressed RDATA: after the two names.
    static func serial(of soa: TransferRecord) -> UInt32 {
        soa.rdata.withUnsafeBytes { bytes in
            let names = ResponseEncoder.nameLength(bytes, from: 0)
            let at = names + ResponseEncoder.nameLength(bytes, from: names)
            return UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
    }

    /// The difference from `old` to `new` (two versions of one zone), name by name and
    /// type by type: a set whose TTL changed is deleted and added whole; otherwise only
    /// the records one side lacks. Linear in the two zones' sizes; run when a zone set is
    /// published, never on the query path.
    public init(from old: Zone, to new: Zone) {
        from = TransferRecord(soaOf: old)
        to = TransferRecord(soaOf: new)
        deleted = []
        added = []
        for node in old.trie.nodes {
            let name = node.name
            let newSets = new.trie.find(name).map { new.trie.node($0).rrsets } ?? []
            ZoneDelta.compare(node.rrsets, newSets, owner: name, deleted: &deleted, added: &added)
        }
        for node in new.trie.nodes where old.trie.find(node.name) == nil {
            ZoneDelta.compare([], node.rrsets, owner: node.name, deleted: &deleted, added: &added)
        }
    }

    static func compare(_ old: [RRSet], _ new: [RRSet], owner: DomainName, deleted: inout [TransferRecord], added: inout [TransferRecord]) {
        for set in old where set.type != .soa {
            let counterpart = new.first { $0.type == set.type }
            let kept = counterpart.flatMap { $0.ttl == set.ttl ? ZoneDelta.records(of: $0) : nil } ?? []
            for rdata in ZoneDelta.records(of: set) where !kept.contains(rdata) {
                deleted.append(TransferRecord(owner: owner, type: set.type, ttl: set.ttl, rdata: rdata))
            }
        }
        for set in new where set.type != .soa {
            let counterpart = old.first { $0.type == set.type }
            let kept = counterpart.flatMap { $0.ttl == set.ttl ? ZoneDelta.records(of: $0) : nil } ?? []
            for rdata in ZoneDelta.records(of: set) where !kept.contains(rdata) {
                added.append(TransferRecord(owner: owner, type: set.type, ttl: set.ttl, rdata: rdata))
            }
        }
    }

    static func records(of set: RRSet) -> [[UInt8]] {
        var result: [[UInt8]] = []
        set.data.forEachRecord { result.append(Array($0)) }
        return result
    }
}
