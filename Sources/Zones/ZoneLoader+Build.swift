import DNSWire
import Routing
import ZoneFile

extension ZoneBuildState {
    /// Checks each name, builds its RRsets and routed groups, and freezes the trie.
    /// `file` names the zone file in messages; `files` are the identities of every file read.
    mutating func build(file: String, files: [String]) -> Zone? {
        guard let apex = names[origin], let soaSet = apex.plain[.soa] else {
            error(SourceLocation(file: file, line: 1, column: 1), "zone \(origin) has no SOA record at its apex")
            return nil
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
                checkWireSize(pending.name, type, set.records, at: set.location)
                builder.add(RRSet(type: type, ttl: set.ttl, records: set.records), at: node)
            }
            for sets in pending.routed.values {
                for set in sets where set.aliasTarget == nil {
                    checkWireSize(pending.name, set.type!, set.records, at: set.location)
                }
            }
            for group in groups(of: pending) { builder.add(group, at: node) }
        }
        // Names deep in labels each bring their empty non-terminals: a zone within the
        // record limit can still name more than the trie's 32-bit offsets can index.
        guard builder.nameBytes <= Int(Int32.max) else {
            error(SourceLocation(file: file, line: 1, column: 1), "zone \(origin) has \(builder.count) names taking \(builder.nameBytes) bytes, more than the 2 GiB one zone can index")
            return nil
        }
        let trie = builder.build()
        checkOcclusion(trie)
        return Zone(origin: origin, soa: soa, soaTTL: soaSet.ttl, trie: trie, recordCount: recordCount,
                    files: files, healthChecks: healthChecks.values.sorted { $0.id < $1.id }, cidrCollections: cidr,
                    evaluatedTargets: evaluatedTargets)
    }

    /// The zone's slot for an evaluated ALIAS target, given out on first sight.
    mutating func evaluatedSlot(_ target: DomainName) -> Int32 {
        if let slot = evaluatedSlots[target] { return slot }
        let slot = Int32(evaluatedTargets.count)
        evaluatedTargets.append(target)
        evaluatedSlots[target] = slot
        return slot
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
            result.append(RoutedGroup(owner: pending.name, type: nil, policy: .simple, sets: [set], evaluatedSlot: { evaluatedSlot($0) }))
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
            result.append(RoutedGroup(owner: pending.name, type: type, policy: policy, sets: members.map(frozen), evaluatedSlot: { evaluatedSlot($0) }))
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
        for node in trie.nodes where node.cut >= 0 && !node.isDelegation && !node.groups.isEmpty {
            error(node.groups[0].sets[0].location, "routed records at \(node.name) are below the delegation \(trie.nodes[Int(node.cut)].name) and would never be served")
        }
    }
}
