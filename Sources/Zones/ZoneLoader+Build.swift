import DNSWire
import Routing
import ZoneFile

extension ZoneBuildState {
    /// Checks each name, builds its RRsets and routed groups, and freezes the trie.
    mutating func build(files: [String]) -> Zone? {
        guard let apex = names[origin], let soaSet = apex.plain[.soa] else {
            error(SourceLocation(file: files.first ?? "?", line: 1, column: 1), "zone \(origin) has no SOA record at its apex")
            return nil
        }
        if soaSet.records.count > 1 {
            error(soaSet.location, "zone \(origin) has \(soaSet.records.count) SOA records; it must have one")
        }
        if apex.plain[.ns] == nil {
            error(apex.firstLocation, "zone \(origin) has no NS records at its apex")
        }
        guard case .soa(let soa) = soaSet.records[0] else { return nil }

        var builder = NameTrieBuilder(apex: origin)
        for name in order {
            let pending = names[name]!
            checkExclusivity(pending)
            let node = builder.node(for: pending.name)
            for (type, set) in pending.plain {
                if type == .cname && set.records.count > 1 {
                    error(set.location, "\(name) has \(set.records.count) CNAME records; a name has at most one")
                }
                builder.add(RRSet(type: type, ttl: set.ttl, records: set.records), at: node)
            }
            for group in groups(of: pending) { builder.add(group, at: node) }
        }
        let trie = builder.build()
        checkOcclusion(trie)
        return Zone(origin: origin, soa: soa, soaTTL: soaSet.ttl, trie: trie, recordCount: recordCount,
                    files: files, healthChecks: healthChecks.values.sorted { $0.id < $1.id }, cidrCollections: cidr)
    }

    /// RFC 1034 §3.6.2 (CNAME alone at its name), and ALIAS against address records.
    mutating func checkExclusivity(_ pending: PendingName) {
        let hasCNAME = pending.plain[.cname] != nil || pending.routed[.cname] != nil
        if hasCNAME {
            let others = Set(pending.plain.keys).union(pending.routed.keys.compactMap { $0 }).subtracting([.cname])
            let hasAlias = pending.simpleAlias != nil || pending.routed[nil] != nil
            if !others.isEmpty || hasAlias {
                let where_ = pending.plain[.cname]?.location ?? pending.routed[.cname]!.first!.location
                let list = others.sorted().map(\.mnemonic) + (hasAlias ? ["ALIAS"] : [])
                error(where_, "CNAME at \(pending.name) cannot share its name with other data (\(list.joined(separator: ", ")))")
            }
        }
        if pending.plain[.cname] != nil && pending.routed[.cname] != nil {
            error(pending.routed[.cname]!.first!.location, "\(pending.name) has both a simple CNAME and routed CNAMEs")
        }
        for (type, sets) in pending.routed {
            guard let type, let plain = pending.plain[type] else { continue }
            error(sets.first!.location, "\(pending.name) \(type) mixes simple records (line \(plain.location.line)) with \(sets.first!.routing.rule.policy) sets; one name and type use one policy")
        }
        if let alias = pending.simpleAlias {
            if pending.routed[nil] != nil {
                error(pending.routed[nil]!.first!.location, "\(pending.name) mixes a simple ALIAS (line \(alias.location.line)) with routed ALIAS sets")
            }
            for type in [RecordType.a, .aaaa] where pending.plain[type] != nil || pending.routed[type] != nil {
                error(alias.location, "ALIAS at \(pending.name) conflicts with its \(type) records: an ALIAS answers \(type) queries itself")
            }
        }
        if let aliasSets = pending.routed[nil] {
            for type in [RecordType.a, .aaaa] {
                if let plain = pending.plain[type] {
                    error(plain.location, "\(pending.name) \(type) records conflict with its routed ALIAS sets: put them in the \(aliasSets[0].routing.rule.policy) group or remove them")
                }
            }
        }
        if pending.name != origin && pending.plain[.ns] != nil {
            let data = pending.plain.keys.filter { $0 != .ns && $0 != .ds }
            if !data.isEmpty || !pending.routed.isEmpty || pending.simpleAlias != nil {
                warning(pending.plain[.ns]!.location, "\(pending.name) is a delegation; its other records are not authoritative and will not be served")
            }
        }
    }

    /// Builds the routed groups of a name: one per type, the ALIAS sets joining the A and
    /// AAAA groups of the same policy, and an ALIAS-only group for the other types.
    mutating func groups(of pending: PendingName) -> [RoutedGroup] {
        var result: [RoutedGroup] = []
        if let alias = pending.simpleAlias {
            let set = RoutedRecordSet(routing: .simple, content: .alias(target: alias.target), ttl: alias.ttl, location: alias.location)
            result.append(RoutedGroup(type: nil, policy: .simple, sets: [set]))
        }
        let aliasSets = pending.routed[nil] ?? []
        for (type, sets) in pending.routed.sorted(by: { ($0.key?.rawValue ?? .max) < ($1.key?.rawValue ?? .max) }) {
            var members = sets
            if let type, type == .a || type == .aaaa { members += aliasSets }
            guard let policy = checkGroup(pending.name, type: type, sets: members) else { continue }
            result.append(RoutedGroup(type: type, policy: policy, sets: members.map(frozen)))
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
            if Set(sets.map(\.ttl)).count > 1 {
                error(sets[1...].first { $0.ttl != sets[0].ttl }!.location, "weighted sets of \(name) \(typeText) must share one TTL (Route 53 requires it)")
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
                    error(set.location, "a non-ALIAS failover primary needs health= (Route 53 rejects it without a health check)")
                    ok = false
                }
            }
        case .multivalue:
            if type == nil || type == .cname || type == .ns || sets.contains(where: { $0.aliasTarget != nil }) {
                error(sets[0].location, "multivalue answers cannot be ALIAS, CNAME or NS records")
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
        for node in trie.nodes where node.cut >= 0 && !node.isDelegation && !node.groups.isEmpty {
            error(node.groups[0].sets[0].location, "routed records at \(node.name) are below the delegation \(trie.nodes[Int(node.cut)].name) and would never be served")
        }
    }
}
