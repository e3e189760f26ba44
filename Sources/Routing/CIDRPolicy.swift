/// IP-based routing (ROUTE53.md §1.7): the set of the collection location whose longest
/// block contains the client's prefix, else `location=*`; an unhealthy match falls back
/// to `location=*`; when both are unhealthy the match answers. No match and no default:
/// NODATA.
extension RoutingPlan {
    func selectCIDR<H: SetHealth, T: DecisionTrace>(client: inout ClientView, health: inout H, trace: inout T) -> Selection {
        var matched = -1
        if let collection = cidrCollection, let location = client.cidrLocation(in: collection) {
            matched = member(at: location)
            trace.note(.note, nil, "client \(client.context.prefix) is in \(collection)/\(location)" + (matched < 0 ? ", which has no set here" : ""))
        } else {
            trace.note(.note, nil, "client \(client.context.prefix) is in no block of \(cidrCollection ?? "?")")
        }
        var first = -1
        for step in 0..<2 {
            let index = step == 0 ? matched : cidrDefault
            guard index >= 0 else { continue }
            if first < 0 { first = index }
            if healthy(index, &health) {
                trace.note(.chosen, sets[index].id, index == matched ? "matching location is healthy" : "location=* answers")
                return Selection(index)
            }
            trace.note(.skippedUnhealthy, sets[index].id, "unhealthy")
        }
        guard first >= 0 else {
            trace.note(.note, nil, "no matching location and no location=* set: no answer")
            return .none
        }
        trace.note(.lastResort, sets[first].id, "every applicable set is unhealthy: the match answers")
        return Selection(first)
    }
}

extension RoutingPlan {
    /// The set for CIDR location `name` (-1: none); the later one where two name it.
    func member(at name: String) -> Int {
        let code = MatchCode.place(name)
        let hash = code == nil ? MatchCode.hash(name) : 0
        var found = -1
        for i in members.indices {
            switch members[i].match {
            case .cidrLocation: if members[i].code == code { found = i }
            case .cidrLocationHashed:
                if code == nil, members[i].code == hash, case .cidr(_, let location) = sets[i].rule, location == name { found = i }
            default: break
            }
        }
        return found
    }
}
