import DNSWire

/// Blocks mapped to values over the one prefix engine (`PrefixTrie`): what a `$CIDR`
/// collection becomes at load. Equal values share a leaf, so two sibling blocks of one
/// location answer with the scope of the block that holds both.
public struct PrefixTable<Value: Hashable & Sendable>: Sendable {
    let trie: PrefixTrie
    let values: [Value]

    /// Builds from blocks; for two equal blocks the later one wins.
    public init(_ blocks: some Sequence<(IPPrefix, Value)>) {
        var builder = PrefixTrieBuilder()
        var index: [Value: Int] = [:]
        var values: [Value] = []
        for (prefix, value) in blocks {
            let leaf = index[value] ?? values.count
            if leaf == values.count {
                index[value] = leaf
                values.append(value)
            }
            builder.insert(prefix, leaf: leaf)
        }
        self.values = values
        trie = builder.build()
    }

    public init() { self.init([(IPPrefix, Value)]()) }

    public var isEmpty: Bool { values.isEmpty }

    /// The value of the longest block containing the whole of `prefix` (a block longer
    /// than the prefix does not contain it, ROUTE53.md §1.7), and the scope that decided it.
    public func lookup(_ prefix: IPPrefix) -> (value: Value?, scope: UInt8) {
        let (leaf, scope) = trie.lookup(prefix)
        return (leaf.map { values[$0] }, UInt8(truncatingIfNeeded: scope))
    }

    /// The value of the longest block containing `address`, and the scope that decided it.
    public func lookup(_ address: IPAddress) -> (value: Value?, scope: UInt8) {
        let (leaf, scope) = trie.lookup(address)
        return (leaf.map { values[$0] }, UInt8(truncatingIfNeeded: scope))
    }
}
