import DNSWire
import Routing

/// Lays out the data a query reads of a zone's routed groups close together, once the
/// loader has built them all.
///
/// While a zone loads, each group's buffers are allocated between the parser's and the
/// checks' own: a zone of ten thousand routed names spread what a query reads of its
/// groups over tens of megabytes, larger than the processor's caches, and a routed answer
/// waited on memory several times where a plain one did not. Packing copies, for every
/// group in turn, its plan's per-set entries and its sets' contents into buffers allocated
/// one after another, then the group objects themselves; and it moves the records of all
/// routed sets into one shared byte array, as a zone's plain records already are (the
/// sets' own copies are let go).
enum RoutedGroupPacking {
    /// Copies of `groups`, in the same order, answering exactly as they do.
    static func packed(_ groups: [RoutedGroup]) -> [RoutedGroup] {
        guard !groups.isEmpty else { return [] }
        var arena: [UInt8] = []
        var ranges: [(start: Int, end: Int)] = []
        for group in groups {
            for content in group.contents {
                guard case .records(let rrset) = content else { continue }
                let start = arena.count
                arena.append(contentsOf: rrset.data.storage[rrset.data.start..<rrset.data.end])
                ranges.append((start, arena.count))
            }
        }
        var next = 0
        var parts: [(plan: RoutingPlan, contents: [RecordSetContent])] = []
        parts.reserveCapacity(groups.count)
        for group in groups {
            var contents: [RecordSetContent] = []
            contents.reserveCapacity(group.contents.count)
            for content in group.contents {
                switch content {
                case .records(let rrset):
                    let range = ranges[next]
                    next += 1
                    let data = RecordDataBytes(storage: arena, start: range.start, end: range.end, count: rrset.data.count)
                    contents.append(.records(RRSet(type: rrset.type, ttl: rrset.ttl, data: data)))
                case .alias:
                    contents.append(content)
                }
            }
            parts.append((group.plan.packed(), contents))
        }
        // The sets (read on cold paths) take the packed contents too, so the records' own
        // first copies are let go; made apart from the hot buffers above and the groups below.
        let sets = zip(groups, parts).map { group, part in
            zip(group.sets, part.contents).map { set, content in
                var set = set
                set.content = content
                return set
            }
        }
        var result: [RoutedGroup] = []
        result.reserveCapacity(groups.count)
        for k in groups.indices {
            result.append(RoutedGroup(repacking: groups[k], sets: sets[k], plan: parts[k].plan, contents: parts[k].contents))
        }
        return result
    }
}
