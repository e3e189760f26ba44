import DNSWire
import Routing
import ZoneFile

extension ZoneBuildState {
    /// Checks each name, builds its RRsets and routed groups, and freezes the trie.
    /// `file` names the zone file in messages; `files` are the identities of every file read.
    mutating func build(file: String, files: [String]) -> Zone? {
        endRun()
        let nodeCount = table.count
        while nodeSetCounts.count < nodeCount {
            nodeSetStarts.append(0)
            nodeSetCounts.append(0)
        }
        // Owners that came back, in node order and file order within each.
        let lateOrder = late.indices.sorted { (late[$0].node, $0) < (late[$1].node, $1) }
        var lateCursor = 0
        var flags = [UInt8](repeating: 0, count: nodeCount)
        var cuts = [Int32](repeating: -1, count: nodeCount)
        var wildcards = [Int32](repeating: -1, count: nodeCount)
        var groupStarts: [UInt32] = [0]
        var groupList: [RoutedGroup] = []
        var soa: (data: SOAData, ttl: UInt32)?
        var hasApexNS = false
        for i in 0..<nodeCount {
            let node = Int32(i)
            if lateCursor < lateOrder.count && late[lateOrder[lateCursor]].node == node {
                var end = lateCursor + 1
                while end < lateOrder.count && late[lateOrder[end]].node == node { end += 1 }
                refreeze(node, late: lateOrder[lateCursor..<end])
                lateCursor = end
            }
            let plainCount = Int(nodeSetCounts[i])
            let routed = routedNames.isEmpty ? nil : routedNames[node]
            if routed != nil || plainCount > 1 {
                checkExclusivity(node: node, plain: plainTypes(of: i), routed: routed)
            }
            if let routed {
                for sets in routed.routed.values {
                    for set in sets where set.aliasTarget == nil {
                        checkWireSize(routed.name, set.type!, set.records, at: set.location)
                    }
                }
                for group in groups(of: routed) { groupList.append(group) }
                groupList[Int(groupStarts[i])...].sort { ($0.type?.rawValue ?? .max) < ($1.type?.rawValue ?? .max) }
            }
            groupStarts.append(UInt32(groupList.count))
            let groups = groupList[Int(groupStarts[i])...]
            var bits = NameNode.Flags()
            if i == 0 {
                bits.insert(.apex)
                hasApexNS = hasPlain(.ns, at: 0)
                let start = Int(nodeSetStarts[0])
                if let soaSet = frozen.sets[start..<(start + plainCount)].first(where: { $0.type == RecordType.soa.rawValue }),
                   case .soa(let data) = frozen.firstRecord(of: soaSet) {
                    soa = (data, soaSet.ttl)
                }
            }
            if plainCount == 0 && groups.isEmpty { bits.insert(.empty) }
            if !groups.isEmpty { bits.insert(.routed) }
            if hasPlain(.cname, at: i) || groups.contains(where: \.isCNAME) { bits.insert(.cname) }
            if i != 0 && hasPlain(.ns, at: i) { bits.insert(.delegation) }
            let parent = table.parents[i]
            if bits.contains(.delegation) {
                cuts[i] = node
            } else if parent >= 0 {
                cuts[i] = cuts[Int(parent)]
            }
            if parent >= 0 && table.isWildcard(node) { wildcards[Int(parent)] = node }
            flags[i] = bits.rawValue
        }
        pending = []
        pendingData = []
        runOrder = []
        late = []
        lateData = []
        frozen.locations = []
        recordCount += frozen.recordCount
        guard let soa else {
            error(SourceLocation(file: file, line: 1, column: 1), "zone \(origin) has no SOA record at its apex")
            return nil
        }
        if !hasApexNS {
            error(apexLocation ?? SourceLocation(file: file, line: 1, column: 1), "zone \(origin) has no NS records at its apex")
        }
        // Names deep in labels each bring their empty non-terminals: a zone within the
        // record limit can still name more than the trie's 32-bit offsets can index.
        guard table.nameBytes.count <= Int(Int32.max) else {
            error(SourceLocation(file: file, line: 1, column: 1), "zone \(origin) has \(table.count) names taking \(table.nameBytes.count) bytes, more than the 2 GiB one zone can index")
            return nil
        }
        let trie = NameTrie(table: table, flags: flags, cuts: cuts, wildcards: wildcards, setStarts: nodeSetStarts,
                            setCounts: nodeSetCounts, sets: frozen.sets, recordData: frozen.data, groupStarts: groupStarts,
                            groups: RoutedGroupPacking.packed(groupList))
        table = NameTableBuilder(expectedNames: 0)
        frozen = FrozenSets()
        nodeSetStarts = []
        nodeSetCounts = []
        checkOcclusion(trie)
        return Zone(origin: origin, soa: soa.data, soaTTL: soa.ttl, trie: trie, recordCount: recordCount,
                    files: files, healthChecks: healthChecks.values.sorted { $0.id < $1.id }, cidrCollections: cidr,
                    evaluatedTargets: evaluatedTargets.values, healthCheckSlots: healthCheckSlots.values)
    }

    /// A set is answered whole or not at all (RFC 2181 §5), so it must fit one message of
    /// 65,535 octets (the most TCP's length field allows) with the header, the question
    /// and a compressed owner per record: otherwise it could never be answered.
    mutating func checkWireSize(_ owner: DomainName, _ type: RecordType, _ records: [RData], at location: SourceLocation) {
        // A wildcard answers for names up to 255 octets long.
        let question = (owner.isWildcard ? 255 : owner.wire.count) + 4
        var size = 12 + question
        for record in records { size += 2 + 10 + record.uncompressedLength }
        if size > 65535 {
            error(location, "\(owner) \(type) set of \(records.count) record(s) needs \(size) bytes in a response with its header and question; a DNS message holds at most 65,535")
        }
    }

    /// RFC 1034 §3.6.2 (CNAME alone at its name), ALIAS against address records, and data
    /// beside a delegation. `plain` has each plain type of the node and where its set
    /// was first written.
    mutating func checkExclusivity(node: Int32, plain: [(type: RecordType, location: SourceLocation)], routed: PendingName?) {
        let plainCNAME = plain.first { $0.type == .cname }
        let routedSets = routed?.routed ?? [:]
        let simpleAlias = routed?.simpleAlias
        func plainSet(_ type: RecordType) -> SourceLocation? { plain.first { $0.type == type }?.location }
        let hasCNAME = plainCNAME != nil || routedSets[.cname] != nil
        if hasCNAME {
            let others = Set(plain.map(\.type)).union(routedSets.keys.compactMap { $0 }).subtracting([.cname])
            let hasAlias = simpleAlias != nil || routedSets[nil] != nil
            if !others.isEmpty || hasAlias {
                let where_ = plainCNAME?.location ?? routedSets[.cname]!.first!.location
                let list = others.sorted().map(\.mnemonic) + (hasAlias ? ["ALIAS"] : [])
                error(where_, "CNAME at \(table.name(of: node)) cannot share its name with other data (\(list.joined(separator: ", ")))")
            }
        }
        for (type, sets) in routedSets {
            guard let type, let plain = plainSet(type) else { continue }
            error(sets.first!.location, "\(table.name(of: node)) \(type) mixes simple records (line \(plain.line)) with \(sets.first!.routing.rule.policy) sets; one name and type use one policy")
        }
        if let alias = simpleAlias {
            if routedSets[nil] != nil {
                error(routedSets[nil]!.first!.location, "\(table.name(of: node)) mixes a simple ALIAS (line \(alias.location.line)) with routed ALIAS sets")
            }
            for type in [RecordType.a, .aaaa] where plainSet(type) != nil || routedSets[type] != nil {
                error(alias.location, "ALIAS at \(table.name(of: node)) conflicts with its \(type) records: an ALIAS answers \(type) queries itself")
            }
        }
        if let aliasSets = routedSets[nil] {
            for type in [RecordType.a, .aaaa] {
                if let plain = plainSet(type) {
                    error(plain, "\(table.name(of: node)) \(type) records conflict with its routed ALIAS sets: put them in the \(aliasSets[0].routing.rule.policy) group or remove them")
                }
            }
        }
        if node != 0, let ns = plainSet(.ns) {
            let data = plain.contains { $0.type != .ns && $0.type != .ds }
            if data || !routedSets.isEmpty || simpleAlias != nil {
                warning(ns, "\(table.name(of: node)) is a delegation; its other records are not authoritative and will not be served")
            }
        }
    }

    /// Builds the routed groups of a name: one per type, the ALIAS sets joining the A and
    /// AAAA groups of the same policy, and an ALIAS-only group for the other types.
    mutating func groups(of pending: PendingName) -> [RoutedGroup] {
        var result: [RoutedGroup] = []
        if let alias = pending.simpleAlias {
            let set = RoutedRecordSet(routing: .simple, content: .alias(target: alias.target), ttl: alias.ttl, location: alias.location)
            result.append(RoutedGroup(owner: pending.name, type: nil, policy: .simple, sets: [set], evaluatedSlot: { evaluatedTargets.slot(for: $0) },
                                      healthSlot: { healthCheckSlots.slot(for: $0) }))
        }
        let aliasSets = pending.routed[nil] ?? []
        // The ALIAS group first: a problem among the ALIAS sets alone is reported once, at
        // the set, and not again for the A and AAAA groups they also join.
        var reportedAt: Set<SourceLocation> = []
        for (type, sets) in pending.routed.sorted(by: { ($0.key?.rawValue ?? 0) < ($1.key?.rawValue ?? 0) }) {
            var members = sets
            if let type, type == .a || type == .aaaa { members += aliasSets }
            // In the order written, so that "second" and "first on line" read right.
            members.sort { $0.order < $1.order }
            let before = diagnostics.count
            let policy = checkGroup(pending.name, type: type, sets: members)
            if type == nil {
                reportedAt.formUnion(diagnostics[before...].map(\.location))
            } else {
                let fresh = diagnostics[before...].filter { !reportedAt.contains($0.location) }
                diagnostics.replaceSubrange(before..., with: fresh)
            }
            guard let policy else { continue }
            result.append(RoutedGroup(owner: pending.name, type: type, policy: policy, sets: members.map(frozen), evaluatedSlot: { evaluatedTargets.slot(for: $0) },
                                      healthSlot: { healthCheckSlots.slot(for: $0) }))
        }
        return result
    }

    func frozen(_ set: PendingSet) -> RoutedRecordSet {
        let content: RecordSetContent
        if let target = set.aliasTarget {
            content = .alias(target: target)
        } else {
            content = .records(RRSet(type: set.type!, ttl: set.ttl, records: set.records))
        }
        return RoutedRecordSet(routing: set.routing, content: content, ttl: set.ttl, location: set.location)
    }

    /// The rules of ROUTE53.md §1 for one group; returns its policy, or nil after errors.
    mutating func checkGroup(_ name: DomainName, type: RecordType?, sets: [PendingSet]) -> RoutingPolicy? {
        let policy = sets[0].routing.rule.policy
        let typeText = type?.mnemonic ?? "ALIAS"
        var ok = true
        for set in sets.dropFirst() where set.routing.rule.policy != policy {
            error(set.location, "\(name) \(typeText) mixes \(policy) and \(set.routing.rule.policy) sets; one name and type use one policy")
            ok = false
        }
        var ids: [String: SourceLocation] = [:]
        for set in sets {
            if let first = ids[set.routing.id] {
                error(set.location, "id=\(set.routing.id) is used twice for \(name) \(typeText) (also line \(first.line))")
                ok = false
            }
            ids[set.routing.id] = set.location
            if set.type == .cname && set.records.count > 1 {
                error(set.location, "CNAME set id=\(set.routing.id) of \(name) has \(set.records.count) targets; a CNAME has one")
                ok = false
            }
        }
        guard ok else { return nil }
        switch policy {
        case .weighted:
            if let other = sets.first(where: { $0.ttl != sets[0].ttl }) {
                error(other.location, "weighted set id=\(other.routing.id) of \(name) \(typeText) has TTL \(other.ttl) but id=\(sets[0].routing.id) has \(sets[0].ttl) (line \(sets[0].location.line)); weighted sets of one name and type share one TTL (Route 53 requires it)")
                return nil
            }
            if sets.allSatisfy({ $0.routing.rule == .weighted(weight: 0) }) {
                warning(sets[0].location, "every weighted set of \(name) \(typeText) has weight 0: traffic is spread evenly")
            }
        case .failover:
            var seen: [FailoverRole: SourceLocation] = [:]
            for set in sets {
                guard case .failover(let role) = set.routing.rule else { continue }
                if let first = seen[role] {
                    error(set.location, "\(name) \(typeText) has a second \(role.rawValue) (first on line \(first.line)); failover has one primary and one secondary")
                    ok = false
                }
                seen[role] = set.location
                if role == .primary && set.aliasTarget == nil && set.routing.healthCheckID == nil {
                    error(set.location, "failover primary id=\(set.routing.id) of \(name) \(typeText) needs health=: only an ALIAS primary may go without a health check (Route 53 rejects it)")
                    ok = false
                }
            }
        case .multivalue:
            for set in sets where set.aliasTarget != nil || set.type == .cname {
                let kind = set.aliasTarget != nil ? "an ALIAS" : "a CNAME"
                error(set.location, "multivalue set id=\(set.routing.id) of \(name) is \(kind); multivalue answers hold records such as A, AAAA or TXT, not ALIAS or CNAME")
                ok = false
            }
        case .geo:
            ok = checkDistinct(name, typeText, sets, what: "location") { set -> String? in
                if case .geo(let rule) = set.routing.rule { return rule.description }
                return nil
            }
        case .latency:
            ok = checkDistinct(name, typeText, sets, what: "region") { set -> String? in
                if case .latency(let region) = set.routing.rule { return region }
                return nil
            }
        case .cidr:
            var collections: Set<String> = []
            for set in sets { if case .cidr(let c, _) = set.routing.rule { collections.insert(c) } }
            if collections.count > 1 {
                error(sets[0].location, "cidr sets of \(name) \(typeText) name several collections (\(collections.sorted().joined(separator: ", "))); they must share one")
                ok = false
            }
            ok = checkDistinct(name, typeText, sets, what: "location") { set -> String? in
                if case .cidr(_, let location) = set.routing.rule { return location ?? "*" }
                return nil
            } && ok
        case .simple:
            break
        }
        return ok ? policy : nil
    }

    mutating func checkDistinct(_ name: DomainName, _ typeText: String, _ sets: [PendingSet], what: String,
                                key: (PendingSet) -> String?) -> Bool {
        var seen: [String: SourceLocation] = [:]
        var ok = true
        for set in sets {
            guard let k = key(set) else { continue }
            if let first = seen[k] {
                error(set.location, "\(name) \(typeText) has two sets for \(what) \(k) (also line \(first.line))")
                ok = false
            }
            seen[k] = set.location
        }
        return ok
    }

    /// Routed data below a zone cut could never be answered: an error, not a surprise later.
    mutating func checkOcclusion(_ trie: NameTrie) {
        for index in trie.routedNodes {
            let node = trie.node(index)
            guard node.cut >= 0 && !node.isDelegation else { continue }
            error(node.groups[0].sets[0].location, "routed records at \(node.name) are below the delegation \(trie.nodes[Int(node.cut)].name) and would never be served")
        }
    }
}
