import DNSWire

/// The names of one zone, frozen for answering: nodes in a flat array and an
/// open-addressing hash table keyed by the lower-cased wire form of each name.
///
/// Lookups hash the query name's octets in place (ASCII case folded on the fly), every
/// suffix in one pass from the root label outwards, so finding a name or its closest
/// encloser allocates nothing and takes no lock.
public struct NameTrie: Sendable {
    public let nodes: [NameNode]
    /// Lower-cased wire names of all nodes, back to back; node `i` spans
    /// `nameStarts[i]..<nameStarts[i + 1]`.
    @usableFromInline let nameBytes: [UInt8]
    @usableFromInline let nameStarts: [Int32]
    @usableFromInline let hashes: [UInt32]
    @usableFromInline let slots: [Int32]
    @usableFromInline let mask: Int

    /// Names longer than this many labels cannot occur (255 octets allow at most 127).
    public static let maximumLabels = 128

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
            hashes.append(folded.withUnsafeBufferPointer { wire in
                NameTrie.withSuffixHashes(wire) { _, suffixHashes in suffixHashes[0] }
            })
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

    /// Calls `body` with the offset where each label starts (the last entry is the root
    /// label) and the hash of the suffix that starts there, all found in one pass: the
    /// hashes are built from the root outwards (FNV-1a over case-folded octets), so each
    /// suffix's hash extends its parent's. Nothing is allocated on the heap.
    @inlinable
    public static func withSuffixHashes<Result>(
        _ wire: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt32>) -> Result
    ) -> Result {
        // Offsets fit in a byte (a name is at most 255 octets): 640 bytes of stack in all.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumLabels) { offsets in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: maximumLabels) { suffixHashes in
                var count = 0
                var i = 0
                while count < maximumLabels && i < wire.count {
                    offsets[count] = UInt8(truncatingIfNeeded: i)
                    count += 1
                    if wire[i] == 0 { break }
                    i += 1 + Int(wire[i])
                }
                var h: UInt32 = 2_166_136_261
                var k = count - 1
                var end = i + 1
                while k >= 0 {
                    let start = Int(offsets[k])
                    var j = start
                    while j < end {
                        h = (h ^ UInt32(DomainName.fold(wire[j]))) &* 16_777_619
                        j += 1
                    }
                    suffixHashes[k] = h
                    end = start
                    k -= 1
                }
                return body(UnsafeBufferPointer(rebasing: offsets[0..<count]), UnsafeBufferPointer(rebasing: suffixHashes[0..<count]))
            }
        }
    }

    /// The node whose name is the suffix of `wire` starting at `start`, whose hash is `h`.
    @inlinable
    public func find(_ wire: UnsafeBufferPointer<UInt8>, from start: Int, hash h: UInt32) -> Int32? {
        let length = wire.count - start
        return nameBytes.withUnsafeBufferPointer { names in
            slots.withUnsafeBufferPointer { slots in
                hashes.withUnsafeBufferPointer { hashes in
                    nameStarts.withUnsafeBufferPointer { starts in
                        var slot = Int(h) & mask
                        while true {
                            let candidate = slots[slot]
                            if candidate < 0 { return nil }
                            let n = Int(candidate)
                            if hashes[n] == h {
                                let s = Int(starts[n])
                                if Int(starts[n + 1]) - s == length {
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
        }
    }

    /// The node named `name` exactly, if any.
    public func find(_ name: DomainName) -> Int32? {
        name.wire.withUnsafeBufferPointer { wire in
            NameTrie.withSuffixHashes(wire) { _, suffixHashes in find(wire, from: 0, hash: suffixHashes[0]) }
        }
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
            NameTrie.withSuffixHashes(wire) { offsets, suffixHashes in
                // offsets includes the root label: labels = count - 1.
                let labels = offsets.count - 1
                var k = 0
                while labels - k > apexLabels {
                    if let node = find(wire, from: Int(offsets[k]), hash: suffixHashes[k]) {
                        return Match(node: node, exact: k == 0, offset: Int(offsets[k]))
                    }
                    k += 1
                }
                // The apex is always node 0.
                return Match(node: 0, exact: k == 0, offset: k < offsets.count ? Int(offsets[k]) : 0)
            }
        }
    }

    public var count: Int { nodes.count }
}
