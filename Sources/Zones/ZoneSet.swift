import DNSWire
import Routing

/// Every zone being served, as one immutable snapshot: what a query reads from start to
/// finish, so a reload never shows it half old, half new.
public final class ZoneSet: Sendable {
    public let zones: [Zone]
    /// Health checks of all zones, by id (ids are global, SPEC §2).
    public let healthChecks: [String: HealthCheckDefinition]
    /// Every `$CIDR` collection of every zone, as longest-prefix tables of location names.
    public let cidrTables: [String: PrefixTable<String>]
    let origins: NameTrie

    public init(zones: [Zone]) {
        self.zones = zones
        origins = NameTrie(names: zones.map(\.origin))
        var checks: [String: HealthCheckDefinition] = [:]
        for zone in zones {
            for check in zone.healthChecks { checks[check.id] = check }
        }
        healthChecks = checks
        var blocks: [String: [(IPPrefix, String)]] = [:]
        for zone in zones {
            for (name, collection) in zone.cidrCollections {
                blocks[name, default: []] += collection.blocks.map { ($0.prefix, $0.location) }
            }
        }
        cidrTables = blocks.mapValues { PrefixTable($0) }
    }

    public static let empty = ZoneSet(zones: [])

    /// The zone with the longest origin that `name` is at or below (RFC 1034 §4.3.2 step 2).
    public func zone(for name: DomainName) -> Zone? {
        zoneIndex(for: name).map { zones[$0] }
    }

    /// The position in `zones` of the zone `zone(for:)` finds.
    public func zoneIndex(for name: DomainName) -> Int? {
        name.wire.withUnsafeBufferPointer { wire in
            NameTrie.withSuffixHashes(wire) { offsets, suffixHashes in zoneIndex(wire, offsets: offsets, suffixHashes: suffixHashes) }
        }
    }

    /// The position of the zone whose origin is the longest suffix of `wire`, from the
    /// name's label offsets and suffix hashes (`NameTrie.withSuffixHashes`).
    @inline(__always)
    func zoneIndex(_ wire: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<UInt8>,
                   suffixHashes: UnsafeBufferPointer<UInt32>) -> Int? {
        for k in offsets.indices {
            if let found = origins.find(wire, from: Int(offsets[k]), hash: suffixHashes[k]) { return Int(found) }
        }
        return nil
    }

    /// Where `name` is answered: the zone `zoneIndex(for:)` finds, and the node (or closest
    /// encloser) `NameTrie.closestMatch` finds in it, from one pass over the name's labels.
    public func locate(_ name: DomainName) -> (zoneIndex: Int, match: NameTrie.Match)? {
        name.wire.withUnsafeBufferPointer { wire in
            NameTrie.withSuffixHashes(wire) { offsets, suffixHashes in
                guard let index = zoneIndex(wire, offsets: offsets, suffixHashes: suffixHashes) else { return nil }
                let zone = zones[index]
                return (index, zone.trie.closestMatch(wire, offsets: offsets, suffixHashes: suffixHashes, apexLabels: zone.originLabels))
            }
        }
    }

    public var recordCount: Int { zones.reduce(0) { $0 + $1.recordCount } }
}
