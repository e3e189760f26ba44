import DNSWire
import Routing

/// A client network an answer diff asks for: a name to show, and the prefix its queries
/// come from (sent as the EDNS Client Subnet, as a resolver would), or nil for a client
/// the locator knows nothing about.
public struct ClientNetwork: Sendable, Hashable, Codable {
    public var name: String
    public var prefix: IPPrefix?

    public init(name: String, prefix: IPPrefix?) {
        self.name = name
        self.prefix = prefix
    }

    /// The one network used when no client networks are given: a client with no location.
    public static let anyClient = ClientNetwork(name: "any client", prefix: nil)

    /// How its queries look to `Authority`.
    var context: ClientContext {
        guard let prefix else { return ClientContext(source: IPAddress("0.0.0.0")!) }
        return ClientContext(source: prefix.address,
                             subnet: ClientSubnet(address: prefix.address, sourcePrefixLength: UInt8(prefix.length)))
    }

    enum CodingKeys: String, CodingKey { case name, prefix }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        prefix = try container.decodeIfPresent(String.self, forKey: .prefix).flatMap { IPPrefix($0) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(prefix?.description, forKey: .prefix)
    }
}

/// Everything that differs between two versions of the zones, as clients would see it.
public struct AnswerDiffReport: Sendable, Equatable, Codable {
    /// Answers that change, one entry per name, type and change, with every client
    /// network that sees that change; in canonical name order, then type.
    public var changes: [AnswerChange]
    /// Record sets whose lines changed without changing any answer at their name and
    /// type for any client network: a set no network is routed to, a health check or
    /// set identifier renamed, a weight moved within what the grid rounds away.
    public var unreachedChanges: [RecordChange]

    public init(changes: [AnswerChange], unreachedChanges: [RecordChange]) {
        self.changes = changes
        self.unreachedChanges = unreachedChanges
    }

    /// True when nothing at all differs.
    public var isEmpty: Bool { changes.isEmpty && unreachedChanges.isEmpty }
}

/// One change of answer for one name and type, and who sees it.
public struct AnswerChange: Sendable, Equatable, Codable {
    public var name: String
    public var type: String
    /// The client networks that see exactly this change, in the order given.
    public var clients: [String]
    public var old: AnswerDistribution
    public var new: AnswerDistribution

    public init(name: String, type: String, clients: [String], old: AnswerDistribution, new: AnswerDistribution) {
        self.name = name
        self.type = type
        self.clients = clients
        self.old = old
        self.new = new
    }
}

/// The zone lines of one name and type (routing attributes included) that only one side
/// has.
public struct RecordChange: Sendable, Equatable, Codable {
    public var name: String
    /// The record type, or ALIAS for a name's ALIAS sets.
    public var type: String
    public var removed: [String]
    public var added: [String]

    public init(name: String, type: String, removed: [String], added: [String]) {
        self.name = name
        self.type = type
        self.removed = removed
        self.added = added
    }
}
