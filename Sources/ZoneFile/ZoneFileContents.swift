import DNSWire

/// What a record line holds after the type: ordinary RDATA, or Switchyard's ALIAS target.
public enum RecordContent: Hashable, Sendable {
    case data(RData)
    case alias(target: DomainName)
}

/// One `key=value` (or bare `flag`) item of a routing block or directive, with its place.
public struct Attribute: Hashable, Sendable {
    public var key: String
    public var value: String?
    public var location: SourceLocation

    public init(key: String, value: String?, location: SourceLocation) {
        self.key = key
        self.value = value
        self.location = location
    }

    /// Splits `key=value` at the first `=`; a word without `=` is a bare flag.
    init(token: Token) {
        let text = token.string
        if let eq = text.firstIndex(of: "=") {
            key = String(text[..<eq])
            value = String(text[text.index(after: eq)...])
        } else {
            key = text
            value = nil
        }
        location = token.location
    }
}

/// A `[policy key=value …]` block as written; Zones gives it meaning.
public struct AttributeBlock: Hashable, Sendable {
    public var policy: String
    public var location: SourceLocation
    public var attributes: [Attribute]

    public init(policy: String, location: SourceLocation, attributes: [Attribute]) {
        self.policy = policy
        self.location = location
        self.attributes = attributes
    }
}

/// A record line of a zone file, with its owner made absolute and its TTL resolved.
public struct ZoneFileRecord: Hashable, Sendable {
    public var owner: DomainName
    public var ttl: UInt32
    /// The record's type; ALIAS records have the type of the queries they answer decided
    /// later, so `typeName` is "ALIAS" and `content` is `.alias`.
    public var typeName: String
    public var content: RecordContent
    public var routing: AttributeBlock?
    /// Where the line starts (the owner, or the first token when the owner is carried over).
    public var location: SourceLocation
    public var typeLocation: SourceLocation
    public var rdataLocation: SourceLocation

    public var rdata: RData? {
        if case .data(let rdata) = content { return rdata }
        return nil
    }
}

/// `$HEALTHCHECK ID TARGET key=value…` as written.
public struct HealthCheckDirective: Hashable, Sendable {
    public var id: String
    public var target: String
    public var targetLocation: SourceLocation
    public var options: [Attribute]
    public var location: SourceLocation
}

/// `$CIDR COLLECTION LOCATION PREFIX…` with the prefixes parsed.
public struct CIDRDirective: Hashable, Sendable {
    public var collection: String
    public var locationName: String
    public var prefixes: [IPPrefix]
    /// Where the collection name is written.
    public var location: SourceLocation
    /// Where the location name is written.
    public var locationNameLocation: SourceLocation
    /// Where each of `prefixes` is written.
    public var prefixLocations: [SourceLocation]
}

/// Everything one zone file (with its includes) says, in file order, and what was wrong.
public struct ParsedZoneFile: Sendable {
    /// The zone's origin: the file's first `$ORIGIN` when it precedes every record,
    /// otherwise the one derived from the file name.
    public var origin: DomainName
    /// The zone file as named in messages.
    public var file: String
    public var records: [ZoneFileRecord] = []
    public var healthChecks: [HealthCheckDirective] = []
    public var cidrBlocks: [CIDRDirective] = []
    /// Identities of every file read, the zone file first (for reload watching).
    public var files: [String] = []
    public var diagnostics: [Diagnostic] = []
    /// True when a `ZoneLimits` bound was crossed and the rest of the zone was not read:
    /// what was read is incomplete and not worth checking further.
    public var stoppedAtLimit = false

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
