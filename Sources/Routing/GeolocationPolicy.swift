/// Geolocation routing (ROUTE53.md §1.4): the most specific set for the client's place —
/// subdivision, country, continent, then `country=*`. An unhealthy match walks up to the
/// next larger place that has a set; when every applicable set is unhealthy the most
/// specific one answers. No applicable set: NODATA.
extension RoutingPlan {
    func selectGeolocation<H: SetHealth, T: DecisionTrace>(client: inout ClientView, health: inout H, trace: inout T) -> Selection {
        let location = client.location()
        var candidates: (Int, Int, Int, Int) = (-1, -1, -1, -1)
        if let location {
            candidates = matches(location)
            trace.note(.note, nil, "client located in \(RoutingPlan.describe(location))")
        } else {
            trace.note(.note, nil, "client location unknown: only country=* applies")
        }
        candidates.3 = geoDefault
        var mostSpecific = -1
        for step in 0..<4 {
            let index = step == 0 ? candidates.0 : step == 1 ? candidates.1 : step == 2 ? candidates.2 : candidates.3
            guard index >= 0 else { continue }
            if mostSpecific < 0 { mostSpecific = index }
            if healthy(index, &health) {
                trace.note(.chosen, sets[index].id, "most specific healthy match (\(sets[index].ruleText))")
                return Selection(index)
            }
            trace.note(.skippedUnhealthy, sets[index].id, "\(sets[index].ruleText) is unhealthy: walking up")
        }
        guard mostSpecific >= 0 else {
            trace.note(.note, nil, "no set applies and there is no country=* set: no answer")
            return .none
        }
        trace.note(.lastResort, sets[mostSpecific].id, "every applicable set is unhealthy: the most specific answers")
        return Selection(mostSpecific)
    }

    /// The sets matching `location`'s subdivision, country and continent (-1: none), by
    /// one pass over the members comparing packed codes. Where two sets match the same
    /// place (the validator refuses that), the later one wins.
    func matches(_ location: ClientLocation) -> (Int, Int, Int, Int) {
        var found: (Int, Int, Int, Int) = (-1, -1, -1, -1)
        let country = location.country.flatMap(MatchCode.place)
        let subdivision = location.country.flatMap { c in location.subdivision.flatMap { MatchCode.subdivision(country: c, code: $0) } }
        let continent = location.continent.flatMap(MatchCode.place)
        for i in members.indices {
            let member = members[i]
            switch member.match {
            case .subdivision: if member.code == subdivision { found.0 = i }
            case .country: if member.code == country { found.1 = i }
            case .continent: if member.code == continent { found.2 = i }
            case .byName:
                switch sets[i].rule {
                case .geo(.subdivision(let c, let s)) where c == location.country && s == location.subdivision: found.0 = i
                case .geo(.country(let c)) where c == location.country: found.1 = i
                case .geo(.continent(let c)) where c == location.continent: found.2 = i
                default: break
                }
            case .none, .cidrLocation, .cidrLocationHashed: break
            }
        }
        return found
    }

    static func describe(_ location: ClientLocation) -> String {
        [location.continent, location.country, location.subdivision].compactMap { $0 }.joined(separator: "/")
    }
}

extension SetRouting {
    var ruleText: String {
        if case .geo(let g) = rule { return g.description }
        return rule.policy.rawValue
    }
}
