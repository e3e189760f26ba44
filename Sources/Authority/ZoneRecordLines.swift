import DNSWire
import Zones

/// Every record of a zone set in `check --print` form, by owner name and type (nil for a
/// name's ALIAS sets): what `AnswerDiff` compares to find changed record sets, and the
/// names and types it asks about.
struct ZoneRecordLines {
    struct Key: Hashable, Comparable {
        var name: DomainName
        var type: RecordType?

        static func < (a: Key, b: Key) -> Bool {
            if a.name != b.name { return a.name < b.name }
            return (a.type.map { Int($0.rawValue) } ?? Int.max) < (b.type.map { Int($0.rawValue) } ?? Int.max)
        }
    }

    /// The lines of each name and type, sorted.
    var lines: [Key: [String]] = [:]

    init(_ zones: ZoneSet) {
        for zone in zones.zones {
            for node in zone.trie.nodes {
                node.forEachRecordLine { type, _, line in lines[Key(name: node.name, type: type), default: []].append(line) }
            }
        }
        for key in lines.keys { lines[key]?.sort() }
    }
}
