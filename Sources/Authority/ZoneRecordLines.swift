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
            for node in zone.trie.nodes where !node.isEmptyNonTerminal {
                for set in node.rrsets {
                    lines[Key(name: node.name, type: set.type), default: []] += set.records.map {
                        "\(node.name)\t\(set.ttl)\tIN\t\(set.type)\t\($0.presentation)"
                    }
                }
                for group in node.groups {
                    for set in group.sets {
                        let attributes = set.routing.rule == .simple ? "" : "\t; \(set.routing.attributeText)"
                        switch set.content {
                        case .records(let rrset):
                            lines[Key(name: node.name, type: rrset.type), default: []] += rrset.records.map {
                                "\(node.name)\t\(set.ttl)\tIN\t\(rrset.type)\t\($0.presentation)\(attributes)"
                            }
                        case .alias(let target):
                            // A routed ALIAS set also sits in the A and AAAA groups; keep it once.
                            guard group.type == nil else { continue }
                            lines[Key(name: node.name, type: nil), default: []].append("\(node.name)\t\(set.ttl)\tIN\tALIAS\t\(target)\(attributes)")
                        }
                    }
                }
            }
        }
        for key in lines.keys { lines[key]?.sort() }
    }
}
