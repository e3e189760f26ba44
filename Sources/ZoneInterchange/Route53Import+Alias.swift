import DNSWire

extension Route53ImportRun {
    /// TTL written on ALIAS lines that have no routed records beside them: an ALIAS answers
    /// with its target's TTL, so the number is never served.
    static let aliasLineTTL: UInt32 = 60

    /// An Alias record: to a name in this zone it becomes an ALIAS line, merged with the
    /// Alias records of the other types of the same name and SetIdentifier (a Switchyard
    /// ALIAS answers every type its target has); anything else is refused.
    mutating func importAlias(_ set: Route53RecordSet, alias: Route53RecordSet.AliasTarget, owner: DomainName, type: String,
                              routing: ZoneFileDocument.RoutingBlock?, comments: [String], place: String, index: Int) {
        let target: DomainName
        do { target = try Route53Escapes.name(alias.dnsName) } catch { return problem(place + " AliasTarget.DNSName", error.message) }
        guard target.isSubdomain(of: document.origin) else {
            return problem(place, "Alias to \(alias.dnsName) (hosted zone \(alias.hostedZoneId)) points at an AWS resource or another hosted zone; only Alias records to names in \(document.origin) are imported (give the resource's addresses as records instead)")
        }
        guard set.ttl == nil, (set.resourceRecords ?? []).isEmpty else {
            return problem(place, "an Alias record set has no TTL or ResourceRecords of its own")
        }
        let key = "\(owner)|\(set.setIdentifier ?? "")"
        if let first = aliases[key] {
            let earlier = document.records[first.index]
            let sameTarget = earlier.data == target.presentation
            let sameRouting = earlier.routing == Self.withEvaluation(routing, alias.evaluateTargetHealth)
            guard sameTarget && sameRouting else {
                let what = sameTarget ? "routing or EvaluateTargetHealth" : "target"
                return problem(place, "Alias \(type) differs in \(what) from Alias \(first.types.joined(separator: ", ")) of the same name and set (\(first.place)); a Switchyard ALIAS answers every type with one target")
            }
            aliases[key]!.types.append(type)
            document.records[first.index].comment = Self.aliasComment(aliases[key]!.types, alias: alias, extra: comments)
            return
        }
        let line = ZoneFileDocument.RecordLine(owner: owner, routing: Self.withEvaluation(routing, alias.evaluateTargetHealth),
                                               ttl: Self.aliasLineTTL, type: "ALIAS", data: target.presentation,
                                               comment: Self.aliasComment([type], alias: alias, extra: comments))
        aliases[key] = (document.records.count, set, place, [type])
        document.records.append(line)
    }

    /// A routed ALIAS carries evaluate-target-health; a simple ALIAS always follows its
    /// target's health, so the flag has nowhere to go and nothing to change.
    static func withEvaluation(_ routing: ZoneFileDocument.RoutingBlock?, _ evaluate: Bool) -> ZoneFileDocument.RoutingBlock? {
        guard var routing else { return nil }
        if evaluate { routing.attributes.append(.init("evaluate-target-health", "true")) }
        return routing
    }

    static func aliasComment(_ types: [String], alias: Route53RecordSet.AliasTarget, extra: [String]) -> String {
        (["Route 53 Alias \(types.sorted().joined(separator: " ")) in hosted zone \(alias.hostedZoneId)"] + extra).joined(separator: "; ")
    }

    /// An ALIAS answers A and AAAA itself: Route 53 lets an Alias A sit beside plain AAAA
    /// records, a Switchyard zone does not (the loader would refuse the file).
    mutating func checkAliasNeighbours() {
        // Routed ALIAS sets of one name all join its A and AAAA groups: in Route 53 each
        // Alias set is in the groups of its own types only.
        var addressTypes: [DomainName: (types: Set<String>, place: String)] = [:]
        for (_, alias) in aliases.sorted(by: { $0.value.index < $1.value.index }) where document.records[alias.index].routing != nil {
            let owner = document.records[alias.index].owner
            let types = Set(alias.types).intersection(["A", "AAAA"])
            if let first = addressTypes[owner] {
                if first.types != types {
                    problem(alias.place, "this Alias set answers \(types.sorted().joined(separator: " and ")) but \(first.place) answers \(first.types.sorted().joined(separator: " and ")); a Switchyard ALIAS set answers A and AAAA alike, so the sets of one name must cover the same address types")
                }
            } else {
                addressTypes[owner] = (types, alias.place)
            }
        }
        for (_, alias) in aliases.sorted(by: { $0.value.index < $1.value.index }) {
            let line = document.records[alias.index]
            let simpleAlias = line.routing == nil
            // Sets of one weighted group share one TTL, ALIAS sets included.
            if !simpleAlias, let routed = document.records.first(where: {
                $0.owner == line.owner && ($0.type == "A" || $0.type == "AAAA") && $0.routing?.policy == line.routing?.policy
            }) {
                document.records[alias.index].ttl = routed.ttl
            }
            for other in document.records where other.owner == line.owner && (other.type == "A" || other.type == "AAAA") {
                guard simpleAlias || other.routing == nil else { continue }
                problem(alias.place, "Alias \(alias.types.joined(separator: ", ")) at \(line.owner) sits beside \(other.routing == nil ? "simple" : "routed") \(other.type) records; a Switchyard ALIAS answers A and AAAA queries itself, so the name cannot hold both (make the \(other.type) records Alias records too, or give them the Alias's routing)")
                break
            }
        }
    }
}
