/// Geolocation routing (ROUTE53.md §1.4): the most specific set for the client's place —
/// subdivision, country, continent, then `country=*`. An unhealthy match walks up to the
/// next larger place that has a set; when every applicable set is unhealthy the most
/// specific one answers. No applicable set: NODATA.
extension RoutingPlan {
    func selectGeolocation<H: SetHealth, T: DecisionTrace>(client: inout ClientView, health: inout H, trace: inout T) -> Selection {
        let location = client.location()
        var candidates: (Int, Int, Int, Int) = (-1, -1, -1, -1)
        if let location {
            if let country = location.country {
                if let sub = location.subdivision { candidates.0 = geoSubdivision[country]?[sub] ?? -1 }
                candidates.1 = geoCountry[country] ?? -1
            }
            if let continent = location.continent { candidates.2 = geoContinent[continent] ?? -1 }
            trace.note(.note, nil, "client located in \(RoutingPlan.describe(location))")
        } else {
            trace.note(.note, nil, "client location unknown: only country=* applies")
        }
        candidates.3 = geoDefault
        var mostSpecific = -1
        for index in [candidates.0, candidates.1, candidates.2, candidates.3] where index >= 0 {
            if mostSpecific < 0 { mostSpecific = index }
            if health.isHealthy(index) {
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
