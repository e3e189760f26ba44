import DNSWire
import Zones

extension Route53Exporter {
    /// The checks the zone declares or uses, with the children of calculated ones, by id.
    /// What Route 53 has no field for (timeout, region, vantages) is left out; intervals
    /// become 10 or 30 seconds, the two Route 53 offers.
    static func healthChecks(_ ids: Set<String>, zones: ZoneSet) -> Route53HealthCheckList {
        var wanted = ids
        var queue = Array(ids)
        while let id = queue.popLast() {
            guard case .calculated(let children, _)? = zones.healthChecks[id]?.target else { continue }
            for child in children where wanted.insert(child).inserted { queue.append(child) }
        }
        let checks = wanted.sorted().compactMap { zones.healthChecks[$0] }.map(healthCheck)
        return Route53HealthCheckList(healthChecks: checks)
    }

    static func healthCheck(_ definition: HealthCheckDefinition) -> Route53HealthCheck {
        var config: Route53HealthCheck.Config
        func endpoint(_ host: String) {
            if IPAddress(host) != nil {
                config.ipAddress = host
                config.fullyQualifiedDomainName = definition.hostHeader
            } else {
                config.fullyQualifiedDomainName = host
            }
        }
        switch definition.target {
        case .http(let host, let port, let path), .https(let host, let port, let path):
            var secure = false
            if case .https = definition.target { secure = true }
            let base = secure ? "HTTPS" : "HTTP"
            config = .init(type: definition.match == nil ? base : base + "_STR_MATCH")
            endpoint(host)
            config.port = port
            config.resourcePath = path
            config.searchString = definition.match
            if secure { config.enableSNI = config.fullyQualifiedDomainName != nil }
        case .tcp(let host, let port):
            config = .init(type: "TCP")
            endpoint(host)
            config.fullyQualifiedDomainName = IPAddress(host) == nil ? host : nil
            config.port = port
        case .calculated(let children, let minHealthy):
            config = .init(type: "CALCULATED")
            config.childHealthChecks = children
            config.healthThreshold = minHealthy
        }
        if case .calculated = definition.target {} else {
            config.requestInterval = definition.interval <= 10 ? 10 : 30
            config.failureThreshold = definition.threshold
            config.measureLatency = false
        }
        config.inverted = definition.inverted
        config.disabled = definition.disabled
        return Route53HealthCheck(id: definition.id, callerReference: definition.id, healthCheckConfig: config)
    }

    /// Each used collection's blocks, by location.
    static func cidrBlocks(_ names: Set<String>, zone: Zone, zones: ZoneSet) -> [String: Route53CidrBlockList] {
        var result: [String: Route53CidrBlockList] = [:]
        for name in names {
            guard let collection = zone.cidrCollections[name] ?? zones.zones.lazy.compactMap({ $0.cidrCollections[name] }).first else { continue }
            let blocks = collection.locations.keys.sorted().flatMap { location in
                collection.locations[location]!.map { Route53CidrBlockList.Block(cidrBlock: $0.description, locationName: location) }
            }
            result[name] = Route53CidrBlockList(cidrBlocks: blocks)
        }
        return result
    }
}
