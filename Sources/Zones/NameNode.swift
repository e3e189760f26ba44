import DNSWire

/// One name of a zone: its records and the facts about its place in the tree that answering
/// needs, computed once when the zone is built.
///
/// A class, so the query path takes one reference to a node rather than copying its
/// fields; only `NameTrieBuilder` changes a node, before the trie is frozen and shared.
public final class NameNode: @unchecked Sendable {
    /// Facts about a node, precomputed at load (DESIGN.md "flags precomputed").
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let apex = Flags(rawValue: 1)
        /// NS records below the apex: a zone cut (RFC 1034 §4.2.1).
        public static let delegation = Flags(rawValue: 2)
        /// No records of its own (an empty non-terminal, RFC 8020).
        public static let empty = Flags(rawValue: 4)
        /// Holds a CNAME, plain or routed.
        public static let cname = Flags(rawValue: 8)
    }

    /// The owner as first written in the zone file.
    public let name: DomainName
    /// Index of the parent node; -1 for the apex.
    public let parent: Int32
    public internal(set) var flags: Flags = []
    /// The delegation node at or above this one (below the apex), or -1 where the zone is
    /// authoritative. Names at or below a cut are answered with a referral.
    public internal(set) var cut: Int32 = -1
    /// Index of the `*` child (RFC 4592 source of synthesis), or -1.
    public internal(set) var wildcard: Int32 = -1
    /// Plain RRsets, sorted by type.
    public internal(set) var rrsets: [RRSet] = []
    /// Routed groups (and simple ALIAS), sorted by type with the ALIAS group (type nil) last.
    public internal(set) var groups: [RoutedGroup] = [] {
        didSet { groupTypes = groups.map { $0.type.map { UInt32($0.rawValue) } ?? NameNode.aliasGroupType } }
    }
    /// The groups' types side by side (ALIAS as `aliasGroupType`), so finding the group for
    /// a query type compares integers without touching the groups.
    public private(set) var groupTypes: [UInt32] = []
    public static let aliasGroupType: UInt32 = 0x1_0000

    init(name: DomainName, parent: Int32) {
        self.name = name
        self.parent = parent
    }

    public var isDelegation: Bool { flags.contains(.delegation) }
    public var isEmptyNonTerminal: Bool { flags.contains(.empty) }

    /// The plain RRset of `type`, if any.
    @inlinable
    public func rrset(_ type: RecordType) -> RRSet? {
        // One read of the property (a class's stored array is retained per read), then
        // compare in place; only the match is copied out.
        let sets = rrsets
        for i in sets.indices where sets[i].type == type { return sets[i] }
        return nil
    }

    /// The routed group that answers `type`: the type's own group, else a CNAME group, else
    /// the ALIAS group.
    @inlinable
    public func group(answering type: RecordType) -> RoutedGroup? {
        let types = groupTypes
        guard !types.isEmpty else { return nil }
        let wanted = UInt32(type.rawValue)
        var fallback = -1
        for i in types.indices {
            let groupType = types[i]
            if groupType == wanted { return groups[i] }
            if fallback < 0 && (groupType == UInt32(RecordType.cname.rawValue) || groupType == NameNode.aliasGroupType) { fallback = i }
        }
        return fallback >= 0 ? groups[fallback] : nil
    }
}
