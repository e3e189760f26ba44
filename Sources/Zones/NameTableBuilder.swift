import DNSWire

/// The names of a zone while it is read: wire octets back to back and a flat
/// open-addressing table that grows as names arrive, so the loader finds or adds an owner
/// without an object or a dictionary entry per name. Frozen as is into a `NameTrie`.
@usableFromInline
struct NameTableBuilder {
    /// Names lower-cased (ASCII), so a lookup folds only the query's octets.
    var nameBytes: [UInt8] = []
    /// The spelling as first written, for the few names that differ from `nameBytes`.
    var originalCase: [Int32: [UInt8]] = [:]
    var nameStarts: [UInt32] = [0]
    var hashes: [UInt32] = []
    var parents: [Int32] = []
    var slots: [Int32]
    var mask: Int

    init(expectedNames: Int) {
        var capacity = 16
        while capacity < expectedNames * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        nameBytes.reserveCapacity(expectedNames * 20)
        nameStarts.reserveCapacity(expectedNames + 1)
        hashes.reserveCapacity(expectedNames)
        parents.reserveCapacity(expectedNames)
    }

    var count: Int { parents.count }

    /// The probe shared by the builder and the frozen trie.
    @inlinable
    static func find(_ wire: UnsafeBufferPointer<UInt8>, from start: Int, hash h: UInt32, names: [UInt8], starts: [UInt32],
                     hashes: [UInt32], slots: [Int32], mask: Int) -> Int32? {
        let length = wire.count - start
        return names.withUnsafeBufferPointer { names in
            slots.withUnsafeBufferPointer { slots in
                hashes.withUnsafeBufferPointer { hashes in
                    starts.withUnsafeBufferPointer { starts in
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

    func find(_ wire: UnsafeBufferPointer<UInt8>, from start: Int, hash h: UInt32) -> Int32? {
        NameTableBuilder.find(wire, from: start, hash: h, names: nameBytes, starts: nameStarts, hashes: hashes, slots: slots, mask: mask)
    }

    /// The node of `name`, created with any missing ancestors down from the node that
    /// has `apexLabels` labels (which must be the first name added), so that empty
    /// non-terminals exist as nodes (RFC 8020). Parents always get smaller numbers than
    /// their children.
    mutating func node(for name: DomainName, apexLabels: Int) -> Int32 {
        name.wire.withUnsafeBufferPointer { wire in
            NameTrie.withSuffixHashes(wire) { offsets, suffixHashes in
                let labels = offsets.count - 1
                // The deepest suffix already known (the apex is when nothing below it is).
                var k = 0
                var found: Int32 = -1
                while labels - k >= apexLabels {
                    if let node = find(wire, from: Int(offsets[k]), hash: suffixHashes[k]) {
                        found = node
                        break
                    }
                    k += 1
                }
                if found < 0 {
                    // Only the apex itself, added first, gets here.
                    k = labels - apexLabels
                    found = insert(wire, from: Int(offsets[k]), hash: suffixHashes[k], parent: -1)
                }
                while k > 0 {
                    k -= 1
                    found = insert(wire, from: Int(offsets[k]), hash: suffixHashes[k], parent: found)
                }
                return found
            }
        }
    }

    /// Adds `name` as a node of its own with no parent (an index of unrelated names).
    mutating func insertUnlinked(_ name: DomainName) -> Int32 {
        name.wire.withUnsafeBufferPointer { wire in
            NameTrie.withSuffixHashes(wire) { _, suffixHashes in insert(wire, from: 0, hash: suffixHashes[0], parent: -1) }
        }
    }

    mutating func insert(_ wire: UnsafeBufferPointer<UInt8>, from start: Int, hash h: UInt32, parent: Int32) -> Int32 {
        if (count + 1) * 2 > slots.count { grow() }
        let id = Int32(count)
        var differs = false
        for k in start..<wire.count {
            let folded = DomainName.fold(wire[k])
            differs = differs || folded != wire[k]
            nameBytes.append(folded)
        }
        if differs { originalCase[id] = Array(UnsafeBufferPointer(rebasing: wire[start...])) }
        nameStarts.append(UInt32(nameBytes.count))
        hashes.append(h)
        parents.append(parent)
        place(id, hash: h)
        return id
    }

    mutating func place(_ id: Int32, hash h: UInt32) {
        var slot = Int(h) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for id in 0..<count { place(Int32(id), hash: hashes[id]) }
    }

    /// Node `id`'s name as first written.
    func name(of id: Int32) -> DomainName {
        DomainName(uncheckedWire: originalCase[id] ?? Array(nameBytes[Int(nameStarts[Int(id)])..<Int(nameStarts[Int(id) + 1])]))
    }
}
