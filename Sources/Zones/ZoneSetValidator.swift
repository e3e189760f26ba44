import DNSWire
import Routing
import ZoneFile

/// The checks that need every zone at once: health-check ids and `calculated` children,
/// CIDR collections and locations, and ALIAS targets (served, not a CNAME, no loops, no
/// chain longer than answers follow).
public enum ZoneSetValidator {
    /// ALIAS hops an answer follows from the name asked (`Authority.maximumChain`): a
    /// longer chain could never be answered, so it is refused at load.
    public static let maximumAliasChain = 12

    /// Problems found, each with the index of the zone whose file holds it.
    /// `failedOrigins` are zones that did not load, so that a reference into one of them
    /// can say so rather than look like a name no zone serves.
    public static func validate(_ zones: [Zone], failedOrigins: [DomainName] = []) -> [(zone: Int, diagnostic: Diagnostic)] {
        var found: [(Int, Diagnostic)] = []
        let set = ZoneSet(zones: zones)
        var checks: [String: (HealthCheckDefinition, Int)] = [:]
        for (z, zone) in zones.enumerated() {
            for check in zone.healthChecks {
                if let (existing, _) = checks[check.id], !sameDefinition(existing, check) {
                    found.append((z, Diagnostic(at: check.location, "health check \(check.id) is already defined differently in \(existing.location)")))
                } else if checks[check.id] == nil {
                    checks[check.id] = (check, z)
                }
            }
        }
        // In id order, so that messages come out the same on every run.
        for (id, (check, z)) in checks.sorted(by: { $0.key < $1.key }) {
            guard case .calculated(let children, let minHealthy) = check.target else { continue }
            for child in children where checks[child] == nil {
                found.append((z, Diagnostic(at: check.location, "calculated health check \(id) names unknown child \(child)")))
            }
            if minHealthy > children.count {
                found.append((z, Diagnostic(.warning, at: check.location, "min-healthy=\(minHealthy) exceeds the \(children.count) children of \(id): it is never healthy")))
            }
            if dependsOnItself(id, checks: checks.mapValues(\.0)) {
                found.append((z, Diagnostic(at: check.location, "calculated health check \(id) depends on itself")))
            }
        }
        var collections: [String: CIDRCollection] = [:]
        for zone in zones {
            for (name, collection) in zone.cidrCollections {
                var merged = collections[name] ?? collection
                for (location, blocks) in collection.locations { merged.locations[location] = blocks }
                collections[name] = merged
            }
        }
        var aliases = AliasChainCheck(set: set, failedOrigins: failedOrigins)
        for (z, zone) in zones.enumerated() {
            for node in zone.trie.nodes {
                for group in node.groups {
                    for member in group.sets {
                        if let id = member.routing.healthCheckID, checks[id] == nil {
                            found.append((z, Diagnostic(at: member.location, "unknown health check '\(id)' (declare it with $HEALTHCHECK)")))
                        }
                        if case .cidr(let name, let location) = member.routing.rule {
                            if let collection = collections[name] {
                                if let location, collection.locations[location] == nil {
                                    found.append((z, Diagnostic(at: member.location, "CIDR collection \(name) has no location \(location) (declare it with $CIDR)")))
                                }
                            } else {
                                found.append((z, Diagnostic(at: member.location, "unknown CIDR collection '\(name)' (declare it with $CIDR)")))
                            }
                        }
                        if case .alias(let target) = member.content {
                            if let problem = aliases.problem(from: node.name, to: target) {
                                found.append((z, Diagnostic(at: member.location, problem)))
                            }
                        }
                    }
                }
            }
        }
        return found
    }

    static func sameDefinition(_ a: HealthCheckDefinition, _ b: HealthCheckDefinition) -> Bool {
        var b = b
        b.location = a.location
        return a == b
    }

    static func dependsOnItself(_ start: String, checks: [String: HealthCheckDefinition]) -> Bool {
        var stack = [start]
        var seen: Set<String> = []
        while let id = stack.popLast() {
            guard case .calculated(let children, _)? = checks[id]?.target else { continue }
            for child in children {
                if child == start { return true }
                if seen.insert(child).inserted { stack.append(child) }
            }
        }
        return false
    }
}
