import DNSWire
import Routing
import Zones

/// Whether each ALIAS target with evaluate-target-health has a healthy answer, for every
/// query type, settled once per zone set and health snapshot (SPEC §5: an ALIAS tree's
/// health is settled when zones or health change, not by a search per query).
///
/// A target is healthy for a type when it has plain records of the type, or when its
/// routed group for the type has a set whose own check passes and, for an ALIAS with
/// evaluate-target-health, whose target is healthy in turn (ROUTE53.md §0 items 5 and 6).
/// One memoised pass over the ALIAS graph works this out in time linear in the graph's
/// size; the query path then reads one entry per set.
public struct AliasHealthTable: Sendable {
    /// Per zone of the set: where its targets start among all targets.
    let bases: [Int]
    /// The query types the targets' records tell apart; every other type is answered
    /// alike, from the last column.
    let types: [RecordType]
    /// Row per target (zone base + slot), column per entry of `types` plus one for the rest.
    let healthy: [Bool]

    /// The table of a zone set without evaluated ALIAS targets: nothing to look up.
    static let empty = AliasHealthTable(bases: [], types: [], healthy: [])

    init(bases: [Int], types: [RecordType], healthy: [Bool]) {
        self.bases = bases
        self.types = types
        self.healthy = healthy
    }

    /// The health of target `slot` of zone `zone` (its position in the zone set) for `type`.
    @inline(__always)
    func isHealthy(zone: Int, slot: Int32, type: RecordType) -> Bool {
        var column = types.count
        for i in types.indices where types[i] == type {
            column = i
            break
        }
        return healthy[(bases[zone] + Int(slot)) * (types.count + 1) + column]
    }

    /// Works the table out for `zones` with the checks' states in `checks`. Free for zone
    /// sets with no evaluated ALIAS (one look at each zone).
    public init(zones: ZoneSet, checks: CheckStateTable) {
        var bases: [Int] = []
        bases.reserveCapacity(zones.zones.count)
        var total = 0
        for zone in zones.zones {
            bases.append(total)
            total += zone.evaluatedTargets.count
        }
        guard total > 0 else {
            self = .empty
            return
        }
        // Each target's node, with the position of its zone (nil: nothing to answer with).
        var nodes: [(node: NameNode, zone: Int)?] = []
        nodes.reserveCapacity(total)
        var seenTypes: Set<RecordType> = []
        for zone in zones.zones {
            for target in zone.evaluatedTargets {
                let found = AnswerState.node(target, in: zones)
                nodes.append(found)
                guard let node = found?.node else { continue }
                for set in node.rrsets { seenTypes.insert(set.type) }
                for group in node.groups { if let type = group.type { seenTypes.insert(type) } }
            }
        }
        let types = seenTypes.sorted()
        // A type no target has stands for all such types in the last column.
        var other = RecordType(65280)
        while seenTypes.contains(other) { other = RecordType(other.rawValue + 1) }
        let columns = types + [other]
        var healthy = [Bool](repeating: false, count: total * columns.count)
        for (c, type) in columns.enumerated() {
            let column = AliasHealthTable.column(type: type, nodes: nodes, bases: bases, checks: checks)
            for row in 0..<total { healthy[row * columns.count + c] = column[row] }
        }
        self.init(bases: bases, types: types, healthy: healthy)
    }

    /// Every target's health for one query type: a depth-first walk over the targets with
    /// an explicit stack, each target finished once. A target met again while it is still
    /// being worked out (a loop, which zone validation refuses) counts as unhealthy.
    static func column(type: RecordType, nodes: [(node: NameNode, zone: Int)?], bases: [Int], checks: CheckStateTable) -> [Bool] {
        enum State: UInt8 { case new, working, done }
        var state = [State](repeating: .new, count: nodes.count)
        var result = [Bool](repeating: false, count: nodes.count)
        /// A target being worked out: its group, the next set to look at, and the target
        /// row it waits for (-1: none).
        struct Frame {
            var row: Int
            var group: RoutedGroup
            var zone: Int
            var next = 0
            var waiting = -1
        }
        var stack: [Frame] = []
        for start in nodes.indices where state[start] == .new {
            var pending = start
            while true {
                // Enter `pending` when there is one: decide it at once, or push it.
                if pending >= 0 {
                    let row = pending
                    pending = -1
                    state[row] = .done
                    if let found = nodes[row] {
                        let node = found.node
                        let zone = found.zone
                        if node.rrset(type) != nil {
                            result[row] = true
                        } else if let group = node.group(answering: type), group.type == type || group.type == nil {
                            state[row] = .working
                            stack.append(Frame(row: row, group: group, zone: zone))
                        }
                    }
                }
                guard !stack.isEmpty else { break }
                let top = stack.count - 1
                if stack[top].waiting >= 0 {
                    if result[stack[top].waiting] { result[stack[top].row] = true }
                    stack[top].waiting = -1
                }
                let frame = stack[top]
                if result[frame.row] || frame.next == frame.group.sets.count {
                    state[frame.row] = .done
                    stack.removeLast()
                    continue
                }
                let index = frame.next
                stack[top].next += 1
                let slots = frame.group.plan.slots(of: index)
                if slots.health >= 0 && !checks.isHealthy(zone: frame.zone, slot: slots.health) { continue }
                let slot = slots.evaluated
                guard slot >= 0 else {
                    result[frame.row] = true
                    continue
                }
                let target = bases[frame.zone] + Int(slot)
                switch state[target] {
                case .new:
                    pending = target
                    stack[top].waiting = target
                case .done:
                    if result[target] { result[frame.row] = true }
                case .working:
                    break
                }
            }
        }
        return result
    }
}
