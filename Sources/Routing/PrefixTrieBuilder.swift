import DNSWire

/// Builds a `PrefixTrie` from blocks mapped to leaf indices; the longest block wins.
///
/// Blocks are inserted shortest first, so a longer block only ever splits a slot that
/// an enclosing block (or nothing) left: the split copies that value into both halves
/// and remembers it as the new node's cover. `build()` then merges sibling slots that
/// hold the same leaf, so a lookup reports the widest network its answer holds for.
public struct PrefixTrieBuilder {
    private var entries: [(prefix: IPPrefix, leaf: Int)] = []

    public init() {}

    /// Adds a block. For two equal blocks the later one wins.
    public mutating func insert(_ prefix: IPPrefix, leaf: Int) {
        precondition(leaf >= 0 && leaf < PrefixTrie.maxLeaves)
        entries.append((prefix, leaf))
    }

    public func build() -> PrefixTrie {
        var slots: [UInt32] = []
        var covers: [UInt32] = []
        var root4 = PrefixTrie.empty
        var root6 = PrefixTrie.empty
        // Stable: for equal lengths, a later entry overwrites an earlier one.
        let ordered = entries.enumerated().sorted {
            ($0.element.prefix.length, $0.offset) < ($1.element.prefix.length, $1.offset)
        }
        for (_, entry) in ordered {
            let value = PrefixTrie.leaf(entry.leaf)
            switch entry.prefix.address {
            case .v4(let a):
                Self.insert(&slots, &covers, root: &root4, length: entry.prefix.length, value: value) { depth in
                    Int(truncatingIfNeeded: (a.value >> UInt32(31 - depth)) & 1)
                }
            case .v6(let a):
                Self.insert(&slots, &covers, root: &root6, length: entry.prefix.length, value: value) { depth in
                    let half = depth < 64 ? a.high : a.low
                    return Int(truncatingIfNeeded: (half >> UInt64(63 - (depth & 63))) & 1)
                }
            }
        }
        var compacted = (slots: [UInt32](), covers: [UInt32]())
        compacted.slots.reserveCapacity(slots.count)
        let newRoot4 = Self.compact(root4, from: (slots, covers), into: &compacted)
        let newRoot6 = Self.compact(root6, from: (slots, covers), into: &compacted)
        return PrefixTrie(checked: compacted.slots, covers: compacted.covers, root4: newRoot4, root6: newRoot6)
    }

    private static func insert(
        _ slots: inout [UInt32], _ covers: inout [UInt32], root: inout UInt32, length: Int, value: UInt32, bit: (Int) -> Int
    ) {
        if length == 0 {
            root = value
            return
        }
        func split(_ covering: UInt32) -> UInt32 {
            slots.append(covering)
            slots.append(covering)
            covers.append(covering)
            return UInt32(covers.count - 1)
        }
        if !PrefixTrie.isNode(root) { root = split(root) }
        var node = Int(root)
        for depth in 0..<(length - 1) {
            let index = node * 2 + bit(depth)
            if !PrefixTrie.isNode(slots[index]) { slots[index] = split(slots[index]) }
            node = Int(slots[index])
        }
        slots[node * 2 + bit(length - 1)] = value
    }

    /// Copies the subtree at `slot` into `output`, replacing every node whose two
    /// slots hold the same leaf (or are both empty) by that slot. Depth is at most 128.
    private static func compact(
        _ slot: UInt32, from input: (slots: [UInt32], covers: [UInt32]), into output: inout (slots: [UInt32], covers: [UInt32])
    ) -> UInt32 {
        guard PrefixTrie.isNode(slot) else { return slot }
        let node = Int(slot)
        let left = compact(input.slots[node * 2], from: input, into: &output)
        let right = compact(input.slots[node * 2 + 1], from: input, into: &output)
        if left == right && !PrefixTrie.isNode(left) { return left }
        output.slots.append(left)
        output.slots.append(right)
        output.covers.append(input.covers[node])
        return UInt32(output.covers.count - 1)
    }
}
