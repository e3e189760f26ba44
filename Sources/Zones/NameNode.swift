import DNSWire

/// One name of a zone, seen through its trie: its records and the facts about its place in
/// the tree that answering needs, computed once when the zone is built.
///
/// A view (a trie reference and a node number), not a stored object: a zone keeps no
/// object per name. Reading `rrset(_:)` and `group(answering:)` allocates nothing;
/// `name` and `rrsets` build values and are for cold paths.
public struct NameNode: Sendable {
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
        /// Holds routed groups.
        public static let routed = Flags(rawValue: 16)
    }

    public static let aliasGroupType: UInt32 = 0x1_0000

    public let trie: NameTrie
    public let index: Int32

    @inlinable
    init(trie: NameTrie, index: Int32) {
        self.trie = trie
        self.index = index
    }

    /// The owner as first written in the zone file.
    public var name: DomainName { trie.name(of: index) }

    /// Index of the parent node; -1 for the apex.
    public var parent: Int32 { trie.parents[Int(index)] }
    @inlinable
    public var flags: Flags { Flags(rawValue: trie.flagBits[Int(index)]) }
    /// The delegation node at or above this one (below the apex), or -1 where the zone is
    /// authoritative. Names at or below a cut are answered with a referral.
    @inlinable
    public var cut: Int32 { trie.cuts[Int(index)] }
    /// Index of the `*` child (RFC 4592 source of synthesis), or -1.
    @inlinable
    public var wildcard: Int32 { trie.wildcards[Int(index)] }

    public var isDelegation: Bool { flags.contains(.delegation) }
    public var isEmptyNonTerminal: Bool { flags.contains(.empty) }

    /// The plain RRsets, sorted by type.
    public var rrsets: [RRSet] {
        let i = Int(index)
        let start = Int(trie.setStarts[i])
        return (start..<(start + Int(trie.setCounts[i]))).map { trie.rrset(at: $0) }
    }

    /// The routed groups (and simple ALIAS), sorted by type with the ALIAS group (type nil) last.
    public var groups: [RoutedGroup] {
        let i = Int(index)
        let start = Int(trie.groupStarts[i])
        let end = Int(trie.groupStarts[i + 1])
        return start == end ? [] : Array(trie.groupList[start..<end])
    }

    /// The plain RRset of `type`, if any.
    @inlinable
    public func rrset(_ type: RecordType) -> RRSet? {
        trie.plainSet(of: index, type: type).map { trie.rrset(at: $0) }
    }

    /// The routed group that answers `type`: the type's own group, else a CNAME group, else
    /// the ALIAS group.
    @inlinable
    public func group(answering type: RecordType) -> RoutedGroup? {
        groupReference(answering: type)?.takeUnretainedValue()
    }

    /// `group(answering:)` without counting a reference: valid while the trie is, for the
    /// query path, where taking a reference to a group far in memory would wait on it.
    @inlinable
    public func groupReference(answering type: RecordType) -> Unmanaged<RoutedGroup>? {
        let i = Int(index)
        let start = Int(trie.groupStarts[i])
        let end = Int(trie.groupStarts[i + 1])
        guard start < end else { return nil }
        let wanted = UInt32(type.rawValue)
        var fallback = -1
        for k in start..<end {
            let groupType = trie.groupEntries[k].type
            if groupType == wanted { return trie.groupEntries[k].group }
            if fallback < 0 && (groupType == UInt32(RecordType.cname.rawValue) || groupType == NameNode.aliasGroupType) { fallback = k }
        }
        return fallback >= 0 ? trie.groupEntries[fallback].group : nil
    }

    /// True when the node holds routed groups.
    @inlinable
    public var hasGroups: Bool { trie.groupStarts[Int(index)] != trie.groupStarts[Int(index) + 1] }
}

extension NameTrie {
    /// Where in `sets` node `index`'s RRset of `type` is, if it has one.
    @inlinable
    func plainSet(of index: Int32, type: RecordType) -> Int? {
        let i = Int(index)
        let wanted = type.rawValue
        return sets.withUnsafeBufferPointer { sets in
            let start = Int(setStarts[i])
            for k in start..<(start + Int(setCounts[i])) where sets[k].type == wanted { return k }
            return nil
        }
    }

    /// The RRset stored at `position` of `sets`, its data shared with the arena.
    @inlinable
    func rrset(at position: Int) -> RRSet {
        let stored = sets[position]
        return RRSet(type: RecordType(stored.type), ttl: stored.ttl,
                     data: RecordDataBytes(storage: recordData, start: Int(stored.start), end: Int(stored.end), count: Int(stored.count)))
    }
}
