import DNSWire
import Routing
import Zones

extension AnswerState {
    /// Answers from a routed group: the policy picks, the walk skips what is unhealthy,
    /// and each chosen set adds its records, its CNAME, or its ALIAS target's records.
    mutating func answerRouted<R: RandomNumberGenerator, T: DecisionTrace>(
        _ group: RoutedGroup, zoneIndex: Int, owner: DomainName, type: RecordType, random: inout R, trace: inout T
    ) -> NameOutcome {
        trace.note(.note, nil, "\(owner) \(type): \(group.policy) group of \(group.sets.count) set(s)")
        var health = GroupHealth(type: type, tables: snapshot.setHealth, zoneIndex: zoneIndex)
        // The contents are read once the policy has chosen: their fetch starts now.
        group.contents.prefetchElements()
        let selection = group.select(client: &client, health: &health, random: &random, trace: &trace)
        guard !selection.isEmpty else { return .noData }
        if response.routedGroup == nil {
            response.routedGroup = group
            response.routedSelection = selection
        }
        if selection.count > 1, let joined = joinedRecords(group, selection, type: type) {
            appendMerging(ResponseRRSet(owner: owner, joined))
            return .answered
        }
        var answered = false
        for k in 0..<selection.count {
            let index = selection[k]
            switch group.contents[index] {
            case .records(let rrset):
                if rrset.type == type || type == .any {
                    rrset.data.prefetch()
                    appendMerging(ResponseRRSet(owner: owner, rrset))
                    answered = true
                } else if rrset.type == .cname, let target = rrset.data.cnameTarget {
                    response.answer.append(ResponseRRSet(owner: owner, rrset))
                    return .alias(target)
                }
            case .alias(let target):
                aliasChoice = nil
                let found = aliasRecords(target, type: type, depth: 0, random: &random, trace: &trace)
                if k == 0 && response.routedGroup === group { response.routedAlias = aliasChoice }
                for set in found { appendMerging(ResponseRRSet(owner: owner, set)) }
                answered = answered || !found.isEmpty
            }
        }
        return answered ? .answered : .noData
    }

    /// The records of several chosen sets (a multivalue answer) as one RRset, joined in one
    /// step with the lowest TTL (RFC 2181 §5.2); nil unless every chosen set holds records
    /// of `type` (the set-by-set path handles the rest).
    func joinedRecords(_ group: RoutedGroup, _ selection: Selection, type: RecordType) -> RRSet? {
        withUnsafeTemporaryAllocation(of: RecordDataBytes.self, capacity: selection.count) { parts in
            var ttl = UInt32.max
            var filled = 0
            defer { parts.baseAddress!.deinitialize(count: filled) }
            for k in 0..<selection.count {
                guard case .records(let rrset) = group.contents[selection[k]], rrset.type == type else { return nil }
                (parts.baseAddress! + k).initialize(to: rrset.data)
                filled += 1
                ttl = min(ttl, rrset.ttl)
            }
            return RRSet(type: type, ttl: ttl, data: RecordDataBytes.joining(UnsafeBufferPointer(parts), type: type))
        }
    }

    /// Adds records to the answer, joining a set already there with the same owner and type
    /// (multivalue answers are one RRset on the wire; RFC 2181 §5.2 wants one TTL).
    mutating func appendMerging(_ set: ResponseRRSet) {
        if let i = response.answer.firstIndex(where: { $0.type == set.type && $0.owner == set.owner }) {
            let merged = response.answer[i].data.merging(set.data, type: set.type)
            if merged.count != response.answer[i].count { response.answer[i].data = merged }
            if set.ttl < response.answer[i].ttl { response.answer[i].ttl = set.ttl }
        } else {
            response.answer.append(set)
        }
    }

    /// The records of `type` an ALIAS to `target` answers with: the target's own records or
    /// its routed choice (through further ALIASes), with the target's TTL.
    mutating func aliasRecords<R: RandomNumberGenerator, T: DecisionTrace>(
        _ target: DomainName, type: RecordType, depth: Int, random: inout R, trace: inout T
    ) -> [RRSet] {
        guard depth < Authority.maximumChain, let found = AnswerState.node(target, in: snapshot.zones) else { return [] }
        let (node, zoneIndex) = found
        trace.note(.note, nil, "ALIAS to \(target)")
        if let rrset = node.rrset(type) { return [rrset] }
        guard let reference = node.groupReference(answering: type) else { return [] }
        return reference._withUnsafeGuaranteedRef { group in
            guard group.type == type || group.type == nil else { return [] }
            var health = GroupHealth(type: type, tables: snapshot.setHealth, zoneIndex: zoneIndex)
            let selection = group.select(client: &client, health: &health, random: &random, trace: &trace)
            if aliasChoice == nil && !selection.isEmpty { aliasChoice = (group, selection.first) }
            var result: [RRSet] = []
            for k in 0..<selection.count {
                let index = selection[k]
                switch group.contents[index] {
                case .records(let rrset) where rrset.type == type: result.append(rrset)
                case .records: break
                case .alias(let next): result += aliasRecords(next, type: type, depth: depth + 1, random: &random, trace: &trace)
                }
            }
            return result
        }
    }

    /// The node of an exact, authoritative name anywhere in the served zones, with the
    /// position of its zone in the set.
    static func node(_ name: DomainName, in zones: ZoneSet) -> (node: NameNode, zone: Int)? {
        guard let (zoneIndex, match) = zones.locate(name), match.exact else { return nil }
        let node = zones.zones[zoneIndex].trie.nodes[Int(match.node)]
        return node.cut >= 0 || node.isEmptyNonTerminal ? nil : (node, zoneIndex)
    }
}

/// The walk's view of set health within one group: the set's own check must pass, and an
/// ALIAS with evaluate-target-health must lead to a healthy answer (both, ROUTE53.md §0
/// item 6). The target's health is read from the snapshot's `AliasHealthTable`, settled
/// when the zones or the health last changed, so this costs the same at any depth.
///
/// It lives only while one decision is made, inside the answer that holds the snapshot:
/// it refers to its tables without counting a reference, since every reference count
/// is an atomic operation that stops the processor from fetching ahead.
struct GroupHealth: SetHealth {
    let type: RecordType
    unowned(unsafe) let tables: SetHealthTables
    /// The position of the group's zone in the zone set.
    let zoneIndex: Int
    /// The states of the zone's checks, by slot (in memory `tables` holds).
    let checks: UnsafePointer<Bool>

    init(type: RecordType, tables: SetHealthTables, zoneIndex: Int) {
        self.type = type
        self.tables = tables
        self.zoneIndex = zoneIndex
        checks = tables.checkStates.states(ofZone: zoneIndex)
    }

    @inline(__always)
    mutating func isHealthy(_ index: Int, slots: SetHealthSlots) -> Bool {
        if slots.health >= 0 && !checks[Int(slots.health)] { return false }
        if slots.evaluated >= 0 { return tables.aliasHealth.isHealthy(zone: zoneIndex, slot: slots.evaluated, type: type) }
        return true
    }
}
