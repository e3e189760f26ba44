extension Route53RecordSetList {
    /// The text `aws route53 list-resource-record-sets` prints for these sets.
    public func jsonText() -> String {
        Route53JSONValue.object([("ResourceRecordSets", .array(resourceRecordSets.map(\.json)))]).text()
    }

    /// A change batch for `aws route53 change-resource-record-sets --change-batch`: every
    /// set as an UPSERT, except the apex SOA and NS that Route 53 keeps for the zone itself.
    public func changeBatchText(origin: String, comment: String) -> String {
        let changes = resourceRecordSets.filter { !($0.name == origin && ($0.type == "SOA" || $0.type == "NS")) }.map { set in
            Route53JSONValue.object([("Action", .string("UPSERT")), ("ResourceRecordSet", set.json)])
        }
        return Route53JSONValue.object([("Comment", .string(comment)), ("Changes", .array(changes))]).text()
    }
}

extension Route53RecordSet {
    var json: Route53JSONValue {
        var members: [(String, Route53JSONValue)] = [("Name", .string(name)), ("Type", .string(type))]
        if let setIdentifier { members.append(("SetIdentifier", .string(setIdentifier))) }
        if let weight { members.append(("Weight", .number(weight))) }
        if let region { members.append(("Region", .string(region))) }
        if let geo = geoLocation {
            var g: [(String, Route53JSONValue)] = []
            if let c = geo.continentCode { g.append(("ContinentCode", .string(c))) }
            if let c = geo.countryCode { g.append(("CountryCode", .string(c))) }
            if let s = geo.subdivisionCode { g.append(("SubdivisionCode", .string(s))) }
            members.append(("GeoLocation", .object(g)))
        }
        if let failover { members.append(("Failover", .string(failover))) }
        if let multiValueAnswer { members.append(("MultiValueAnswer", .bool(multiValueAnswer))) }
        if let ttl { members.append(("TTL", .number(ttl))) }
        if let records = resourceRecords { members.append(("ResourceRecords", .array(records.map { .object([("Value", .string($0.value))]) }))) }
        if let alias = aliasTarget {
            members.append(("AliasTarget", .object([("HostedZoneId", .string(alias.hostedZoneId)), ("DNSName", .string(alias.dnsName)),
                                                   ("EvaluateTargetHealth", .bool(alias.evaluateTargetHealth))])))
        }
        if let healthCheckId { members.append(("HealthCheckId", .string(healthCheckId))) }
        if let cidr = cidrRoutingConfig {
            members.append(("CidrRoutingConfig", .object([("CollectionId", .string(cidr.collectionId)), ("LocationName", .string(cidr.locationName))])))
        }
        return .object(members)
    }
}

extension Route53HealthCheckList {
    /// The text `aws route53 list-health-checks` prints for these checks.
    public func jsonText() -> String {
        Route53JSONValue.object([("HealthChecks", .array(healthChecks.map(\.json)))]).text()
    }
}

extension Route53HealthCheck {
    var json: Route53JSONValue {
        let c = healthCheckConfig
        var config: [(String, Route53JSONValue)] = []
        if let v = c.ipAddress { config.append(("IPAddress", .string(v))) }
        if let v = c.port { config.append(("Port", .number(v))) }
        config.append(("Type", .string(c.type)))
        if let v = c.resourcePath { config.append(("ResourcePath", .string(v))) }
        if let v = c.fullyQualifiedDomainName { config.append(("FullyQualifiedDomainName", .string(v))) }
        if let v = c.searchString { config.append(("SearchString", .string(v))) }
        if let v = c.requestInterval { config.append(("RequestInterval", .number(v))) }
        if let v = c.failureThreshold { config.append(("FailureThreshold", .number(v))) }
        if let v = c.measureLatency { config.append(("MeasureLatency", .bool(v))) }
        if let v = c.inverted { config.append(("Inverted", .bool(v))) }
        if let v = c.disabled { config.append(("Disabled", .bool(v))) }
        if let v = c.healthThreshold { config.append(("HealthThreshold", .number(v))) }
        if let v = c.childHealthChecks { config.append(("ChildHealthChecks", .array(v.map { .string($0) }))) }
        if let v = c.enableSNI { config.append(("EnableSNI", .bool(v))) }
        var members: [(String, Route53JSONValue)] = [("Id", .string(id))]
        if let callerReference { members.append(("CallerReference", .string(callerReference))) }
        members.append(("HealthCheckConfig", .object(config)))
        if let healthCheckVersion { members.append(("HealthCheckVersion", .number(healthCheckVersion))) }
        return .object(members)
    }
}

extension Route53CidrBlockList {
    /// The text `aws route53 list-cidr-blocks` prints for these blocks.
    public func jsonText() -> String {
        Route53JSONValue.object([("CidrBlocks", .array(cidrBlocks.map {
            .object([("CidrBlock", .string($0.cidrBlock)), ("LocationName", .string($0.locationName))])
        }))]).text()
    }
}

/// Decoding the three CLI outputs, with a JSON path in every error.
extension Route53RecordSetList {
    public init(json bytes: [UInt8]) throws(Route53JSONError) {
        self = try Route53JSONValue.decode(Route53RecordSetList.self, from: bytes, shape: "aws route53 list-resource-record-sets output")
    }
}

extension Route53HealthCheckList {
    public init(json bytes: [UInt8]) throws(Route53JSONError) {
        self = try Route53JSONValue.decode(Route53HealthCheckList.self, from: bytes, shape: "aws route53 list-health-checks output")
    }
}

extension Route53CidrBlockList {
    public init(json bytes: [UInt8]) throws(Route53JSONError) {
        self = try Route53JSONValue.decode(Route53CidrBlockList.self, from: bytes, shape: "aws route53 list-cidr-blocks output")
    }
}
