import DNSWire

/// The names of one zone, frozen for answering: nodes in a flat array and an
/// open-addressing hash table keyed by the lower-cased wire form of each name.
///
/// Lookups hash the query name's octets in place (ASCII case folded on the fly), so finding
/// a name or its closest encloser allocates nothing and takes no lock.
public struct NameTrie: Sendable {
    public let nodes: [NameNode]
    /// Lower-cased wire names of all nodes, back to back; node `i` spans
    /// `nameStarts[i]..<nameStarts[i + 1]`.
    @usableFromInline let nameBytes: [UInt8]
    @usableFromInline let nameStarts: [Int32]
    @usableFromInline let hashes: [UInt32]
    @usableFromInline let slots: [Int32]
    @usableFromInline let mask: Int

    init(nodes: [NameNode]) {
        self.nodes = nodes
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        var hashes: [UInt32] = []
        bytes.reserveCapacity(nodes.reduce(0) { $0 + $1.name.wire.count })
        for node in nodes {
            let folded = node.name.wire.map(DomainName.fold)
            bytes.append(contentsOf: folded)
            starts.append(Int32(bytes.count))
            hashes.append(folded.withUnsafeBufferPointer { NameTrie.hash($0, from: 0) })
        }
        var capacity = 16
        while capacity < nodes.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        for (index, h) in hashes.enumerated() {
            var slot = Int(h) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(index)
        }
        self.nameBytes = bytes
        self.nameStarts = starts
        self.hashes = hashes
        self.slots = slots
        self.mask = capacity - 1
    }

    /// FNV-1a over the case-folded octets of a wire name from `start` to its end.
    @inlinable @inline(__always)
    static func hash(_ wire: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        var i = start
        while i < wire.count {
            h = (h ^ UInt32(DomainName.fold(wire[i]))) &* 16_777_619
            i += 1
        }
        return h
    }

    /// The node whose name is the suffix of `wire` starting at `start`, if any.
    @inlinable
    public func find(_ wire: UnsafeBufferPointer<UInt8>, from start: Int) -> Int32? {
        let h = NameTrie.hash(wire, from: start)
        let length = wire.count - start
        return nameBytes.withUnsafeBufferPointer { names in
            slots.withUnsafeBufferPointer { slots in
                var slot = Int(h) & mask
                while true {
                    let candidate = slots[slot]
                    if candidate < 0 { return nil }
                    let n = Int(candidate)
                    if hashes[n] == h {
                        let s = Int(nameStarts[n])
                        if Int(nameStarts[n + 1]) - s == length {
                            var equal = true
                            for k in 0..<length where names[s + k] != DomainName.fold(wire[start + k]) {
                                equal = false
                                break
                            }
                            if equal { return candidate }
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    public func find(_ name: DomainName) -> Int32? {
        name.wire.withUnsafeBufferPointer { find($0, from: 0) }
    }

    /// The result of walking down to a query name (RFC 1034 §4.3.2 step 3).
    public struct Match: Sendable, Equatable {
        /// The node found: the name itself when `exact`, else its closest encloser.
        public var node: Int32
        public var exact: Bool
        /// Offset in the query name's wire form where the found node's name starts.
        public var offset: Int
    }

    /// The node for `name` or, when there is none, its closest existing ancestor. `name`
    /// must be at or below the apex, whose label count is `apexLabels`.
    public func closestMatch(_ name: DomainName, apexLabels: Int) -> Match {
        name.wire.withUnsafeBufferPointer { wire in
            var labelCount = 0
            var i = 0
            while wire[i] != 0 {
                labelCount += 1
                i += 1 + Int(wire[i])
            }
            var start = 0
            var remaining = labelCount
            while remaining > apexLabels {
                if let node = find(wire, from: start) { return Match(node: node, exact: start == 0, offset: start) }
                start += 1 + Int(wire[start])
                remaining -= 1
            }
            // The apex is always node 0.
            return Match(node: 0, exact: start == 0, offset: start)
        }
    }

    public var count: Int { nodes.count }
}
