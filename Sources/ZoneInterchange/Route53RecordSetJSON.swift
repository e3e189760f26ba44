/// `aws route53 list-resource-record-sets` output, member for member (ROUTE53.md §9): the
/// CLI's `{"ResourceRecordSets": [...]}`, with `NextToken` when `--max-items` cut it short,
/// or the API's page with `IsTruncated`.
public struct Route53RecordSetList: Codable, Sendable, Equatable {
    public var resourceRecordSets: [Route53RecordSet]
    public var nextToken: String?
    public var isTruncated: Bool?

    public init(resourceRecordSets: [Route53RecordSet]) {
        self.resourceRecordSets = resourceRecordSets
    }

    enum CodingKeys: String, CodingKey {
        case resourceRecordSets = "ResourceRecordSets"
        case nextToken = "NextToken"
        case isTruncated = "IsTruncated"
    }
}

/// One `ResourceRecordSet`: its policy is implied by which member is present.
public struct Route53RecordSet: Codable, Sendable, Equatable {
    /// `Value` of one record, in presentation form as Route 53 keeps it.
    public struct Record: Codable, Sendable, Equatable {
        public var value: String
        public init(value: String) { self.value = value }
        enum CodingKeys: String, CodingKey { case value = "Value" }
    }

    /// `AliasTarget`: a record in the same hosted zone, or an AWS resource.
    public struct AliasTarget: Codable, Sendable, Equatable {
        public var hostedZoneId: String
        public var dnsName: String
        public var evaluateTargetHealth: Bool
        public init(hostedZoneId: String, dnsName: String, evaluateTargetHealth: Bool) {
            self.hostedZoneId = hostedZoneId
            self.dnsName = dnsName
            self.evaluateTargetHealth = evaluateTargetHealth
        }
        enum CodingKeys: String, CodingKey {
            case hostedZoneId = "HostedZoneId", dnsName = "DNSName", evaluateTargetHealth = "EvaluateTargetHealth"
        }
    }

    /// `GeoLocation`: a continent, a country, a country and subdivision, or `*`.
    public struct GeoLocation: Codable, Sendable, Equatable {
        public var continentCode: String?
        public var countryCode: String?
        public var subdivisionCode: String?
        public init(continentCode: String? = nil, countryCode: String? = nil, subdivisionCode: String? = nil) {
            self.continentCode = continentCode
            self.countryCode = countryCode
            self.subdivisionCode = subdivisionCode
        }
        enum CodingKeys: String, CodingKey {
            case continentCode = "ContinentCode", countryCode = "CountryCode", subdivisionCode = "SubdivisionCode"
        }
    }

    /// `CidrRoutingConfig`: a location of a CIDR collection (`*` for the default).
    public struct CidrRoutingConfig: Codable, Sendable, Equatable {
        public var collectionId: String
        public var locationName: String
        public init(collectionId: String, locationName: String) {
            self.collectionId = collectionId
            self.locationName = locationName
        }
        enum CodingKeys: String, CodingKey { case collectionId = "CollectionId", locationName = "LocationName" }
    }

    /// `GeoProximityLocation`: read only to name it in the error (no equivalent here).
    public struct GeoProximityLocation: Codable, Sendable, Equatable {
        public var awsRegion: String?
        public var localZoneGroup: String?
        public var bias: Int?
        enum CodingKeys: String, CodingKey { case awsRegion = "AWSRegion", localZoneGroup = "LocalZoneGroup", bias = "Bias" }
    }

    public var name: String
    public var type: String
    public var setIdentifier: String?
    public var weight: Int?
    public var region: String?
    public var geoLocation: GeoLocation?
    public var failover: String?
    public var multiValueAnswer: Bool?
    public var ttl: Int?
    public var resourceRecords: [Record]?
    public var aliasTarget: AliasTarget?
    public var healthCheckId: String?
    public var trafficPolicyInstanceId: String?
    public var cidrRoutingConfig: CidrRoutingConfig?
    public var geoProximityLocation: GeoProximityLocation?

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", type = "Type", setIdentifier = "SetIdentifier", weight = "Weight", region = "Region"
        case geoLocation = "GeoLocation", failover = "Failover", multiValueAnswer = "MultiValueAnswer", ttl = "TTL"
        case resourceRecords = "ResourceRecords", aliasTarget = "AliasTarget", healthCheckId = "HealthCheckId"
        case trafficPolicyInstanceId = "TrafficPolicyInstanceId", cidrRoutingConfig = "CidrRoutingConfig"
        case geoProximityLocation = "GeoProximityLocation"
    }
}
