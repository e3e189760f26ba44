import DNSWire

/// A zone file that an importer writes: records with their routing blocks, health checks and
/// CIDR locations, rendered as zone-file text (SPEC §2) in one stable order, so that importing
/// the same input twice gives the same bytes and a re-import shows as a small diff in git.
public struct ZoneFileDocument: Sendable {
    /// A `key=value` (or bare `key`) item of a routing block or a `$HEALTHCHECK` line.
    public struct Attribute: Sendable, Equatable {
        public var key: String
        public var value: String?

        public init(_ key: String, _ value: String? = nil) {
            self.key = key
            self.value = value
        }
    }

    /// A routing block, `[policy id=… key=value …]` (Route 53's SetIdentifier and policy).
    public struct RoutingBlock: Sendable, Equatable {
        public var policy: String
        public var id: String
        /// The keys after `id=`, in the order written.
        public var attributes: [Attribute]

        public init(policy: String, id: String, attributes: [Attribute] = []) {
            self.policy = policy
            self.id = id
            self.attributes = attributes
        }
    }

    /// One record: owner, optional routing block, TTL, type mnemonic (`A`, `ALIAS`, `TYPE65`)
    /// and data in presentation form with absolute names.
    public struct RecordLine: Sendable, Equatable {
        public var owner: DomainName
        public var routing: RoutingBlock?
        public var ttl: UInt32
        public var type: String
        public var data: String
        /// Written after `;` at the end of the line (where a record came from, e.g. an id).
        public var comment: String?

        public init(owner: DomainName, routing: RoutingBlock? = nil, ttl: UInt32, type: String, data: String, comment: String? = nil) {
            self.owner = owner
            self.routing = routing
            self.ttl = ttl
            self.type = type
            self.data = data
            self.comment = comment
        }
    }

    /// `$HEALTHCHECK ID TARGET key=value…`.
    public struct HealthCheckLine: Sendable, Equatable {
        public var id: String
        public var target: String
        public var attributes: [Attribute]
        /// Written on its own `;` line just above the check.
        public var comment: String?

        public init(id: String, target: String, attributes: [Attribute] = [], comment: String? = nil) {
            self.id = id
            self.target = target
            self.attributes = attributes
            self.comment = comment
        }
    }

    /// `$CIDR COLLECTION LOCATION PREFIX…`.
    public struct CIDRLocationLine: Sendable, Equatable {
        public var collection: String
        public var location: String
        public var prefixes: [String]
        public var comment: String?

        public init(collection: String, location: String, prefixes: [String], comment: String? = nil) {
            self.collection = collection
            self.location = location
            self.prefixes = prefixes
            self.comment = comment
        }
    }

    public var origin: DomainName
    /// Written as `;` lines at the top (what the file was made from).
    public var headerComments: [String]
    public var healthChecks: [HealthCheckLine]
    public var cidrLocations: [CIDRLocationLine]
    public var records: [RecordLine]

    public init(origin: DomainName, headerComments: [String] = [], healthChecks: [HealthCheckLine] = [],
                cidrLocations: [CIDRLocationLine] = [], records: [RecordLine] = []) {
        self.origin = origin
        self.headerComments = headerComments
        self.healthChecks = healthChecks
        self.cidrLocations = cidrLocations
        self.records = records
    }
}

extension ZoneFileDocument {
    /// The zone file's text. Order: header comments, `$ORIGIN`, health checks by id, CIDR
    /// locations by collection and location, then records by owner in canonical order (RFC 4034
    /// §6.1), SOA first and NS next at each owner, then by type, routing id, and the order
    /// given. Owners are written relative to the origin (`@` for the apex).
    public func render() -> String {
        var out = ""
        for comment in headerComments { out += "; \(Self.oneLine(comment))\n" }
        out += "$ORIGIN \(origin.presentation)\n"

        let checks = healthChecks.sorted { $0.id < $1.id }
        if !checks.isEmpty { out += "\n" }
        for check in checks {
            if let comment = check.comment { out += "; \(Self.oneLine(comment))\n" }
            var line = "$HEALTHCHECK \(check.id) \(check.target)"
            for attribute in check.attributes { line += " " + Self.render(attribute) }
            out += line + "\n"
        }

        let locations = cidrLocations.sorted { ($0.collection, $0.location) < ($1.collection, $1.location) }
        if !locations.isEmpty { out += "\n" }
        for location in locations {
            if let comment = location.comment { out += "; \(Self.oneLine(comment))\n" }
            out += "$CIDR \(location.collection) \(location.location) \(location.prefixes.joined(separator: " "))\n"
        }

        let ordered = records.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.owner != y.owner { return x.owner < y.owner }
            let (rx, ry) = (Self.typeRank(x.type), Self.typeRank(y.type))
            if rx != ry { return rx < ry }
            if x.type != y.type { return x.type < y.type }
            let (ix, iy) = (x.routing?.id ?? "", y.routing?.id ?? "")
            if ix != iy { return ix < iy }
            return a.offset < b.offset
        }.map(\.element)
        let heads = ordered.map(head)
        let width = min(heads.map(\.count).max() ?? 0, 48)
        if !ordered.isEmpty { out += "\n" }
        for (record, head) in zip(ordered, heads) {
            var line = head + String(repeating: " ", count: max(0, width - head.count))
            line += " \(record.ttl) IN \(record.type) \(record.data)"
            if let comment = record.comment { line += " ; \(Self.oneLine(comment))" }
            out += line + "\n"
        }
        return out
    }

    /// The owner, relative to the origin, and the routing block.
    func head(_ record: RecordLine) -> String {
        var text = relative(record.owner)
        if let block = record.routing {
            text += " [\(block.policy) id=\(block.id)"
            for attribute in block.attributes { text += " " + Self.render(attribute) }
            text += "]"
        }
        return text
    }

    /// `@` for the origin, the leading labels for a name below it, else the absolute name.
    public func relative(_ name: DomainName) -> String {
        if name == origin { return "@" }
        guard name.isSubdomain(of: origin) else { return name.presentation }
        let full = name.presentation
        let suffix = "." + origin.presentation
        return origin.isRoot ? String(full.dropLast()) : String(full.dropLast(suffix.count))
    }

    static func typeRank(_ type: String) -> Int {
        switch type {
        case "SOA": 0
        case "NS": 1
        default: 2
        }
    }

    static func render(_ attribute: Attribute) -> String {
        guard let value = attribute.value else { return attribute.key }
        return "\(attribute.key)=\(quotedIfNeeded(value))"
    }

    /// A value as one zone-file token: quoted, with `"` and `\` escaped, when it holds
    /// anything beyond letters, digits and `-_.:/,*@%+=?&`.
    public static func quotedIfNeeded(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { s in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "-_.:/,*@%+=?&".unicodeScalars.contains(s))
        }
        if plain { return value }
        var quoted = "\""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): quoted += "\\" + String(UnicodeScalar(byte))
            case 0x20...0x7E: quoted += String(UnicodeScalar(byte))
            default: quoted += "\\" + String(format3: byte)
            }
        }
        return quoted + "\""
    }

    /// A comment kept on one line: line breaks become spaces.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}

extension String {
    /// Three decimal digits, as in a `\DDD` escape.
    init(format3 byte: UInt8) {
        let digits = String(byte)
        self = String(repeating: "0", count: 3 - digits.count) + digits
    }
}
