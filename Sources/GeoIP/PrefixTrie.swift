import DNSWire

/// A frozen binary trie over address bits: the one lookup structure behind every
/// client-location table (MaxMind databases, geo-networks and latency CSVs).
///
/// Each node is two 32-bit slots, for bit 0 and bit 1. A slot holds a child node's
/// index, a leaf (`leafFlag | index` into the owner's value array) or `empty`. Values
/// are pushed down to the leaves, so a lookup walks until it leaves the node space and
/// the number of bits consumed is exactly the prefix length the answer holds for; that
/// is the ECS scope, and it is what a MaxMind reader reports as the network's length.
/// A lookup never allocates. The first 16 levels of each family are flattened into a
/// 65,536-entry table (the classic DIR-16 step), so a lookup starts with one indexed
/// load instead of sixteen dependent ones and then reads one slot per remaining bit.
struct PrefixTrie: Sendable {
    static let empty: UInt32 = .max
    static let leafFlag: UInt32 = 0x8000_0000
    /// Node indices must stay below `leafFlag`; leaf indices below `empty & ~leafFlag`.
    static let maxNodes = Int(leafFlag) - 1
    static let maxLeaves = Int(leafFlag) - 1

    /// Two slots per node. Every node index stored in a slot or a root is < `slots.count / 2`.
    let slots: [UInt32]
    /// Where IPv4 lookups start: a node, a leaf (covers all of IPv4) or `empty`.
    let root4: UInt32
    /// Where IPv6 lookups start.
    let root6: UInt32

    /// Where a walk stands after the first `strideBits` bits, by their value: the slot
    /// reached in the low 32 bits, the depth (≤ 16; less when a leaf or a miss came
    /// first) in the high 32.
    let stride4: [UInt64]
    let stride6: [UInt64]
    static let strideBits = 16

    /// Builds from slots whose node references the caller has already checked.
    init(checkedSlots slots: [UInt32], root4: UInt32, root6: UInt32) {
        self.slots = slots
        self.root4 = root4
        self.root6 = root6
        stride4 = Self.strideTable(slots, root: root4)
        stride6 = Self.strideTable(slots, root: root6)
    }

    private static func strideTable(_ slots: [UInt32], root: UInt32) -> [UInt64] {
        (0..<(1 << strideBits)).map { prefix in
            var slot = root
            var depth = 0
            while slot < leafFlag && depth < strideBits {
                let bit = (prefix >> (strideBits - 1 - depth)) & 1
                slot = slots[Int(slot) * 2 + bit]
                depth += 1
            }
            return UInt64(slot) | UInt64(depth) << 32
        }
    }

    static func leaf(_ index: Int) -> UInt32 { leafFlag | UInt32(index) }
    static func isNode(_ slot: UInt32) -> Bool { slot < leafFlag }

    /// The leaf index for `address` (nil on a miss) and the prefix length either holds for.
    func lookup(_ address: IPAddress) -> (prefixLength: Int, leaf: Int?) {
        let (depth, slot): (Int, UInt32)
        switch address {
        case .v4(let a): (depth, slot) = walk4(a.value)
        case .v6(let a): (depth, slot) = walk6(a.high, a.low)
        }
        // A node left at full depth cannot come from a builder; treat it as a miss.
        if slot == Self.empty || Self.isNode(slot) { return (depth, nil) }
        return (depth, Int(slot & ~Self.leafFlag))
    }

    @inline(__always)
    private func walk4(_ value: UInt32) -> (Int, UInt32) {
        let start = stride4[Int(truncatingIfNeeded: value >> 16)]
        var slot = UInt32(truncatingIfNeeded: start)
        var depth = Int(truncatingIfNeeded: start >> 32)
        slots.withUnsafeBufferPointer { s in
            while slot < Self.leafFlag && depth < 32 {
                let bit = Int(truncatingIfNeeded: (value >> UInt32(31 - depth)) & 1)
                slot = s[Int(slot) &* 2 &+ bit]
                depth &+= 1
            }
        }
        return (depth, slot)
    }

    @inline(__always)
    private func walk6(_ high: UInt64, _ low: UInt64) -> (Int, UInt32) {
        let start = stride6[Int(truncatingIfNeeded: high >> 48)]
        var slot = UInt32(truncatingIfNeeded: start)
        var depth = Int(truncatingIfNeeded: start >> 32)
        slots.withUnsafeBufferPointer { s in
            while slot < Self.leafFlag && depth < 128 {
                let half = depth < 64 ? high : low
                let bit = Int(truncatingIfNeeded: (half >> UInt64(63 - (depth & 63))) & 1)
                slot = s[Int(slot) &* 2 &+ bit]
                depth &+= 1
            }
        }
        return (depth, slot)
    }

    /// Number of nodes, for memory reporting.
    var nodeCount: Int { slots.count / 2 }
}

/// Builds a `PrefixTrie` from prefixes mapped to leaf indices; the longest prefix wins.
///
/// Prefixes are inserted shortest first, so a longer prefix only ever splits a leaf
/// that an enclosing prefix left (the enclosing value is copied into the other half of
/// every split). `build()` then merges sibling leaves that carry the same value, so a
/// lookup reports the widest network its answer holds for.
struct PrefixTrieBuilder {
    private var entries: [(prefix: IPPrefix, leaf: Int)] = []

    /// Adds a prefix. Duplicates are the caller's to reject: the later one wins.
    mutating func insert(_ prefix: IPPrefix, leaf: Int) {
        precondition(leaf >= 0 && leaf < PrefixTrie.maxLeaves)
        entries.append((prefix, leaf))
    }

    func build() -> PrefixTrie {
        var slots: [UInt32] = []
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
                Self.insert(&slots, root: &root4, length: entry.prefix.length, value: value) { depth in
                    Int(truncatingIfNeeded: (a.value >> UInt32(31 - depth)) & 1)
                }
            case .v6(let a):
                Self.insert(&slots, root: &root6, length: entry.prefix.length, value: value) { depth in
                    let half = depth < 64 ? a.high : a.low
                    return Int(truncatingIfNeeded: (half >> UInt64(63 - (depth & 63))) & 1)
                }
            }
        }
        var compacted: [UInt32] = []
        compacted.reserveCapacity(slots.count)
        let newRoot4 = Self.compact(root4, from: slots, into: &compacted)
        let newRoot6 = Self.compact(root6, from: slots, into: &compacted)
        return PrefixTrie(checkedSlots: compacted, root4: newRoot4, root6: newRoot6)
    }

    private static func insert(
        _ slots: inout [UInt32], root: inout UInt32, length: Int, value: UInt32, bit: (Int) -> Int
    ) {
        if length == 0 {
            root = value
            return
        }
        func split(_ covering: UInt32) -> UInt32 {
            slots.append(covering)
            slots.append(covering)
            return UInt32(slots.count / 2 - 1)
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
    private static func compact(_ slot: UInt32, from input: [UInt32], into output: inout [UInt32]) -> UInt32 {
        guard PrefixTrie.isNode(slot) else { return slot }
        let node = Int(slot)
        let left = compact(input[node * 2], from: input, into: &output)
        let right = compact(input[node * 2 + 1], from: input, into: &output)
        if left == right && !PrefixTrie.isNode(left) { return left }
        output.append(left)
        output.append(right)
        return UInt32(output.count / 2 - 1)
    }
}
