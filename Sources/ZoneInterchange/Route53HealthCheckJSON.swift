/// `aws route53 list-health-checks` output: `{"HealthChecks": [...]}` (ROUTE53.md §4.1).
public struct Route53HealthCheckList: Codable, Sendable, Equatable {
    public var healthChecks: [Route53HealthCheck]
    public var nextToken: String?
    public var isTruncated: Bool?

    public init(healthChecks: [Route53HealthCheck]) {
        self.healthChecks = healthChecks
    }

    enum CodingKeys: String, CodingKey {
        case healthChecks = "HealthChecks", nextToken = "NextToken", isTruncated = "IsTruncated"
    }
}

/// One health check: its id, the caller's reference and its configuration.
public struct Route53HealthCheck: Codable, Sendable, Equatable {
    /// `HealthCheckConfig`: the members that matter for the probe and its state.
    public struct Config: Codable, Sendable, Equatable {
        public var ipAddress: String?
        public var port: Int?
        public var type: String
        public var resourcePath: String?
        public var fullyQualifiedDomainName: String?
        public var searchString: String?
        public var requestInterval: Int?
        public var failureThreshold: Int?
        public var measureLatency: Bool?
        public var inverted: Bool?
        public var disabled: Bool?
        public var healthThreshold: Int?
        public var childHealthChecks: [String]?
        public var enableSNI: Bool?

        public init(type: String) { self.type = type }

        enum CodingKeys: String, CodingKey {
            case ipAddress = "IPAddress", port = "Port", type = "Type", resourcePath = "ResourcePath"
            case fullyQualifiedDomainName = "FullyQualifiedDomainName", searchString = "SearchString"
            case requestInterval = "RequestInterval", failureThreshold = "FailureThreshold", measureLatency = "MeasureLatency"
            case inverted = "Inverted", disabled = "Disabled", healthThreshold = "HealthThreshold"
            case childHealthChecks = "ChildHealthChecks", enableSNI = "EnableSNI"
        }
    }

    public var id: String
    public var callerReference: String?
    public var healthCheckConfig: Config
    public var healthCheckVersion: Int?

    public init(id: String, callerReference: String?, healthCheckConfig: Config, healthCheckVersion: Int? = 1) {
        self.id = id
        self.callerReference = callerReference
        self.healthCheckConfig = healthCheckConfig
        self.healthCheckVersion = healthCheckVersion
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", callerReference = "CallerReference", healthCheckConfig = "HealthCheckConfig"
        case healthCheckVersion = "HealthCheckVersion"
    }
}

/// `aws route53 list-cidr-blocks --collection-id ID` output: `{"CidrBlocks": [...]}`. The
/// output does not name its collection; the caller says which one it is.
public struct Route53CidrBlockList: Codable, Sendable, Equatable {
    /// One block and the location it belongs to.
    public struct Block: Codable, Sendable, Equatable {
        public var cidrBlock: String
        public var locationName: String
        public init(cidrBlock: String, locationName: String) {
            self.cidrBlock = cidrBlock
            self.locationName = locationName
        }
        enum CodingKeys: String, CodingKey { case cidrBlock = "CidrBlock", locationName = "LocationName" }
    }

    public var cidrBlocks: [Block]
    public var nextToken: String?

    public init(cidrBlocks: [Block]) { self.cidrBlocks = cidrBlocks }

    enum CodingKeys: String, CodingKey { case cidrBlocks = "CidrBlocks", nextToken = "NextToken" }
}
