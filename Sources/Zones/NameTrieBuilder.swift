import DNSWire

/// Collects the names and record sets of one zone, then freezes them into a `NameTrie`
/// with every node's flags, zone cut and wildcard child worked out.
public struct NameTrieBuilder {
    public let apex: DomainName
    var index: [DomainName: Int32] = [:]
    var nodes: [NameNode] = []
    /// Octets of all node names so far: the frozen trie indexes them with 32-bit offsets.
    public private(set) var nameBytes = 0

    public init(apex: DomainName) {
        self.apex = apex
        _ = node(for: apex)
    }

    /// The node of `name` (at or below the apex), created with any missing ancestors, so
    /// that empty non-terminals exist as nodes (RFC 8020).
    public mutating func node(for name: DomainName) -> Int32 {
        if let existing = index[name] { return existing }
        let parent: Int32 = name == apex ? -1 : node(for: name.parent)
        let id = Int32(nodes.count)
        nodes.append(NameNode(name: name, parent: parent))
        nameBytes += name.wire.count
        index[name] = id
        return id
    }

    public mutating func add(_ rrset: RRSet, at id: Int32) {
        nodes[Int(id)].rrsets.append(rrset)
    }

    public mutating func add(_ group: RoutedGroup, at id: Int32) {
        nodes[Int(id)].groups.append(group)
    }

    public var count: Int { nodes.count }

    /// Freezes the tree. Parents always precede children in `nodes`, so one pass in order
    /// can inherit each parent's zone cut.
    public func build() -> NameTrie {
        var frozen = nodes
        for i in frozen.indices {
            var node = frozen[i]
            node.rrsets.sort { $0.type < $1.type }
            node.groups.sort { ($0.type?.rawValue ?? .max) < ($1.type?.rawValue ?? .max) }
            if i == 0 { node.flags.insert(.apex) }
            if node.rrsets.isEmpty && node.groups.isEmpty { node.flags.insert(.empty) }
            if node.rrset(.cname) != nil || node.groups.contains(where: \.isCNAME) { node.flags.insert(.cname) }
            if i != 0 && node.rrset(.ns) != nil { node.flags.insert(.delegation) }
            if node.flags.contains(.delegation) {
                node.cut = Int32(i)
            } else if node.parent >= 0 {
                node.cut = frozen[Int(node.parent)].cut
            }
            if node.name.isWildcard && node.parent >= 0 {
                frozen[Int(node.parent)].wildcard = Int32(i)
            }
            frozen[i] = node
        }
        return NameTrie(nodes: frozen)
    }
}
