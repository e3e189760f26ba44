import Routing
import ZoneFile

/// Turns a `[policy key=value …]` block into a `SetRouting`, rejecting unknown policies,
/// unknown or repeated keys and bad values at the place they were written.
enum RoutingBlockParser {
    static let commonKeys: Set<String> = ["id", "health", "evaluate-target-health"]
    static let policyKeys: [String: Set<String>] = [
        "weighted": ["weight"],
        "latency": ["region"],
        "geo": ["continent", "country", "subdivision"],
        "failover": ["role"],
        "multivalue": [],
        "cidr": ["collection", "location"],
    ]

    static func parse(_ block: AttributeBlock, isAlias: Bool) throws(Diagnostic) -> SetRouting {
        let policy = block.policy.lowercased()
        guard let allowed = policyKeys[policy] else {
            throw Diagnostic(at: block.location, "unknown routing policy '\(block.policy)' (known: weighted, latency, geo, failover, multivalue, cidr)")
        }
        var values: [String: Attribute] = [:]
        for attribute in block.attributes {
            guard commonKeys.contains(attribute.key) || allowed.contains(attribute.key) else {
                let known = (allowed.sorted() + commonKeys.sorted()).joined(separator: ", ")
                throw Diagnostic(at: attribute.location, "unknown key '\(attribute.key)' for \(policy) routing (known: \(known))")
            }
            guard values[attribute.key] == nil else {
                throw Diagnostic(at: attribute.location, "key '\(attribute.key)' given twice in one routing block")
            }
            guard let value = attribute.value, !value.isEmpty else {
                throw Diagnostic(at: attribute.location, "key '\(attribute.key)' needs a value (\(attribute.key)=…)")
            }
            values[attribute.key] = attribute
        }
        guard let id = values["id"]?.value else {
            throw Diagnostic(at: block.location, "\(policy) routing block needs an id= (Route 53's SetIdentifier)")
        }
        guard id.utf8.count <= 128, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw Diagnostic(at: values["id"]!.location, "id '\(id)' must be letters, digits, '-', '_' or '.'")
        }
        func required(_ key: String) throws(Diagnostic) -> Attribute {
            guard let attribute = values[key] else {
                throw Diagnostic(at: block.location, "\(policy) routing block needs \(key)=")
            }
            return attribute
        }
        let rule: RoutingRule
        switch policy {
        case "weighted":
            let weight = try required("weight")
            guard let w = UInt8(weight.value!) else {
                throw Diagnostic(at: weight.location, "weight must be a whole number from 0 to 255, not '\(weight.value!)'")
            }
            rule = .weighted(weight: w)
        case "latency":
            let region = try required("region")
            if let problem = Route53Geography.regionProblem(region.value!) {
                throw Diagnostic(at: region.location, problem)
            }
            rule = .latency(region: region.value!)
        case "geo":
            rule = .geo(try geoRule(values, block: block))
        case "failover":
            let role = try required("role")
            guard let r = FailoverRole(rawValue: role.value!.lowercased()) else {
                throw Diagnostic(at: role.location, "role must be primary or secondary, not '\(role.value!)'")
            }
            rule = .failover(r)
        case "multivalue":
            rule = .multivalue
        default:
            let collection = try required("collection")
            let location = try required("location")
            rule = .cidr(collection: collection.value!, location: location.value! == "*" ? nil : location.value!)
        }
        var evaluate = false
        if let attribute = values["evaluate-target-health"] {
            guard isAlias else {
                throw Diagnostic(at: attribute.location, "evaluate-target-health applies only to ALIAS records")
            }
            switch attribute.value!.lowercased() {
            case "true", "yes": evaluate = true
            case "false", "no": evaluate = false
            default: throw Diagnostic(at: attribute.location, "evaluate-target-health must be true or false")
            }
        }
        return SetRouting(id: id, rule: rule, healthCheckID: values["health"]?.value, evaluateTargetHealth: evaluate)
    }

    static func geoRule(_ values: [String: Attribute], block: AttributeBlock) throws(Diagnostic) -> GeoLocationRule {
        let continent = values["continent"]
        let country = values["country"]
        let subdivision = values["subdivision"]
        if let continent {
            if let other = country ?? subdivision {
                throw Diagnostic(at: other.location, "a geo set names a continent or a country, not both")
            }
            let code = continent.value!.uppercased()
            if let problem = Route53Geography.continentProblem(continent.value!) {
                throw Diagnostic(at: continent.location, problem)
            }
            return .continent(code)
        }
        guard let country else {
            if let subdivision {
                throw Diagnostic(at: subdivision.location, "subdivision= needs country= as well")
            }
            throw Diagnostic(at: block.location, "geo routing block needs continent=, country= or country=*")
        }
        if country.value! == "*" {
            if let subdivision { throw Diagnostic(at: subdivision.location, "country=* takes no subdivision") }
            return .anyLocation
        }
        let code = country.value!.uppercased()
        // Codes are Route 53's own (Route53Geography); case does not matter in a zone file.
        if let problem = Route53Geography.countryProblem(country.value!) {
            throw Diagnostic(at: country.location, problem)
        }
        if let subdivision {
            if let problem = Route53Geography.subdivisionProblem(subdivision.value!, country: code) {
                throw Diagnostic(at: subdivision.location, problem)
            }
            return .subdivision(country: code, code: subdivision.value!.uppercased())
        }
        return .country(code)
    }
}
