import DNSWire

/// Longest-prefix match over IPv4 and IPv6 blocks, as a binary trie built once at load.
///
/// A lookup also says how many leading bits of the client's address decided the outcome,
/// which is the ECS scope prefix an answer from it may carry (RFC 7871 §7.2.1): the walk
/// stops where the trie has no branch, so every address sharing those bits gets the same.
public struct PrefixTable<Value: Sendable>: Sendable {
    struct Node: Sendable {
        var zero: Int32 = -1
        var one: Int32 = -1
        var value: Int32 = -1
    }

    var nodes: [Node] = [Node(), Node()]  // root 0: IPv4, root 1: IPv6
    var values: [Value] = []

    public init() {}

    public var isEmpty: Bool { values.isEmpty }

    /// Adds a block; a later insert of the same block replaces the earlier value.
    public mutating func insert(_ prefix: IPPrefix, _ value: Value) {
        var node = PrefixTable.root(of: prefix.address)
        for depth in 0..<prefix.length {
            let bit = PrefixTable.bit(prefix.address, depth)
            var next = bit ? nodes[node].one : nodes[node].zero
            if next < 0 {
                next = Int32(nodes.count)
                nodes.append(Node())
                if bit { nodes[node].one = next } else { nodes[node].zero = next }
            }
            node = Int(next)
        }
        values.append(value)
        nodes[node].value = Int32(values.count - 1)
    }

    /// The value of the longest block containing `prefix` (a block longer than the prefix
    /// does not contain it, ROUTE53.md §1.7), and the scope length that decided it.
    public func lookup(_ prefix: IPPrefix) -> (value: Value?, scope: UInt8) {
        var node = PrefixTable.root(of: prefix.address)
        var found = nodes[node].value
        var depth = 0
        while depth < prefix.length {
            let bit = PrefixTable.bit(prefix.address, depth)
            let next = bit ? nodes[node].one : nodes[node].zero
            if next < 0 {
                // A leaf decides for its whole block; otherwise one more bit told us apart
                // from the branch that exists.
                let leaf = nodes[node].zero < 0 && nodes[node].one < 0
                return (found >= 0 ? values[Int(found)] : nil, UInt8(leaf ? depth : depth + 1))
            }
            node = Int(next)
            depth += 1
            if nodes[node].value >= 0 { found = nodes[node].value }
        }
        return (found >= 0 ? values[Int(found)] : nil, UInt8(prefix.length))
    }

    @inline(__always)
    static func root(of address: IPAddress) -> Int {
        if case .v4 = address { return 0 }
        return 1
    }

    @inline(__always)
    static func bit(_ address: IPAddress, _ index: Int) -> Bool {
        switch address {
        case .v4(let a): return (a.value >> UInt32(31 - index)) & 1 == 1
        case .v6(let a):
            return index < 64 ? (a.high >> UInt64(63 - index)) & 1 == 1 : (a.low >> UInt64(127 - index)) & 1 == 1
        }
    }
}
