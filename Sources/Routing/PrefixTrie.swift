import DNSWire

/// The one longest-prefix-match engine: CIDR collections, the geo-networks and latency
/// tables and MaxMind databases all answer "which block holds this client, and for how
/// many leading bits does that answer hold" through it, so the ECS scope is worked out
/// the same way everywhere.
///
/// The trie is frozen and flat: every node is two 32-bit slots in one array, for bit 0
/// and bit 1. A slot holds a child node's index, a leaf (`leaf(index)`, an index into
/// the owner's values) or `empty`. Values are pushed down to the leaves and equal
/// siblings merged, so a walk ends where the answer stops depending on the address: the
/// number of bits it consumed is the scope (RFC 7871 §7.2.1). A lookup never allocates.
/// Large tries also get a 65,536-entry table for the first 16 bits of each family (the
/// classic DIR-16 step), so a lookup starts with one indexed load instead of sixteen
/// dependent ones; smaller tries, which stay in cache, get a 256-entry one for the first
/// 8 bits (2 KiB), and the smallest none.
public struct PrefixTrie: Sendable {
    public static let empty: UInt32 = .max
    static let leafFlag: UInt32 = 0x8000_0000
    /// Node indices must stay below `leafFlag`; leaf indices below `empty & ~leafFlag`.
    public static let maxNodes = Int(leafFlag) - 1
    public static let maxLeaves = Int(leafFlag) - 1
    static let strideBits = 16
    /// Below this many nodes the DIR-16 tables cost more memory than they save time.
    static let strideThreshold = 1024
    static let smallStrideBits = 8
    /// Below this many nodes a walk is short enough without a first step.
    static let smallStrideThreshold = 32

    /// Two slots per node; every node index stored in a slot or a root is < `nodeCount`.
    let slots: [UInt32]
    /// Per node, the slot value of the longest block that covers the whole node
    /// (`empty` when none does): what a client prefix that ends at this node matches.
    /// Empty for tries built from a database's own nodes, which have no blocks.
    let covers: [UInt32]
    /// Where IPv4 and IPv6 lookups start: a node, a leaf (covers the whole family) or `empty`.
    let root4: UInt32
    let root6: UInt32
    /// The slot reached after the first `strideWidth` bits, by their value, in the low 32
    /// bits; the depth (≤ `strideWidth`, less when a leaf or a miss came first) in the
    /// high 32. Empty for the smallest tries.
    let stride4: [UInt64]
    let stride6: [UInt64]
    /// 16, 8 or 0 (no stride tables).
    let strideWidth: Int

    /// A trie over nodes laid out by someone else (a MaxMind search tree); nil when a
    /// slot points outside the node array. Such a trie has no covers, so it answers
    /// address lookups; a client prefix that ends inside it matches nothing.
    public init?(nodes slots: [UInt32], root4: UInt32, root6: UInt32) {
        let count = UInt32(slots.count / 2)
        guard slots.count % 2 == 0, slots.count / 2 <= Self.maxNodes,
              [root4, root6].allSatisfy({ !Self.isNode($0) || $0 < count }),
              slots.allSatisfy({ !Self.isNode($0) || $0 < count }) else { return nil }
        self.init(checked: slots, covers: [], root4: root4, root6: root6)
    }

    init(checked slots: [UInt32], covers: [UInt32], root4: UInt32, root6: UInt32) {
        self.slots = slots
        self.covers = covers
        self.root4 = root4
        self.root6 = root6
        let nodes = slots.count / 2
        strideWidth = nodes >= Self.strideThreshold ? Self.strideBits : nodes >= Self.smallStrideThreshold ? Self.smallStrideBits : 0
        stride4 = strideWidth > 0 ? Self.strideTable(slots, root: root4, width: strideWidth) : []
        stride6 = strideWidth > 0 ? Self.strideTable(slots, root: root6, width: strideWidth) : []
    }

    private static func strideTable(_ slots: [UInt32], root: UInt32, width: Int) -> [UInt64] {
        (0..<(1 << width)).map { prefix in
            var slot = root
            var depth = 0
            while isNode(slot) && depth < width {
                slot = slots[Int(slot) * 2 + (prefix >> (width - 1 - depth)) & 1]
                depth += 1
            }
            return UInt64(slot) | UInt64(depth) << 32
        }
    }

    /// The slot value of leaf `index`.
    public static func leaf(_ index: Int) -> UInt32 { leafFlag | UInt32(index) }
    static func isNode(_ slot: UInt32) -> Bool { slot < leafFlag }

    /// Number of nodes, for memory reporting.
    public var nodeCount: Int { slots.count / 2 }

    /// The leaf of the longest block containing `address` (nil on a miss), and the
    /// number of leading bits every address sharing them gets the same outcome for.
    public func lookup(_ address: IPAddress) -> (leaf: Int?, scope: Int) {
        lookup(address, bits: address.bitWidth)
    }

    /// The leaf of the longest block containing the whole of `prefix`: a block longer
    /// than the prefix does not contain it (Route 53's CIDR rule, ROUTE53.md §1.7), and
    /// the scope, which is at most the prefix's length.
    public func lookup(_ prefix: IPPrefix) -> (leaf: Int?, scope: Int) {
        lookup(prefix.address, bits: prefix.length)
    }

    /// Walks at most `bits` leading bits of `address`.
    func lookup(_ address: IPAddress, bits: Int) -> (leaf: Int?, scope: Int) {
        let (slot, depth): (UInt32, Int)
        switch address {
        case .v4(let a):
            (slot, depth) = walk(root4, stride4, first: Int(truncatingIfNeeded: a.value >> UInt32(32 - strideWidth)), bits: bits) {
                UInt32(truncatingIfNeeded: a.value >> UInt32(31 - $0)) & 1
            }
        case .v6(let a):
            (slot, depth) = walk(root6, stride6, first: Int(truncatingIfNeeded: a.high >> UInt64(64 - strideWidth)), bits: bits) { depth in
                let half = depth < 64 ? a.high : a.low
                return UInt32(truncatingIfNeeded: half >> UInt64(63 - (depth & 63))) & 1
            }
        }
        // A walk that stops on a node ran out of client bits: the blocks covering that
        // node decide. (A builder never leaves a node at full depth; a database that
        // does gets a miss, as its covers are empty.)
        let value = Self.isNode(slot) ? (covers.isEmpty ? Self.empty : covers[Int(slot)]) : slot
        return (value == Self.empty ? nil : Int(value & ~Self.leafFlag), depth)
    }

    @inline(__always)
    private func walk(_ root: UInt32, _ stride: [UInt64], first: Int, bits: Int, bit: (Int) -> UInt32) -> (UInt32, Int) {
        var slot = root
        var depth = 0
        if bits >= strideWidth && !stride.isEmpty {
            let start = stride[first]
            slot = UInt32(truncatingIfNeeded: start)
            depth = Int(truncatingIfNeeded: start >> 32)
        }
        slots.withUnsafeBufferPointer { s in
            while slot < Self.leafFlag && depth < bits {
                slot = s[Int(slot &* 2 &+ bit(depth))]
                depth &+= 1
            }
        }
        return (slot, depth)
    }
}
