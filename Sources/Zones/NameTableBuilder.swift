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
    var parents: [Int32] = []
    /// Each slot holds a node's hash (high 32 bits) and number (low 32 bits), so a probe
    /// reads one word before it touches a name; `emptySlot` where none.
    var slots: [UInt64]
    var mask: Int
    @usableFromInline static let emptySlot = UInt64.max

    init(expectedNames: Int) {
        var capacity = 16
        while capacity < expectedNames * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: NameTableBuilder.emptySlot, count: capacity)
        mask = capacity - 1
        nameBytes.reserveCapacity(expectedNames * 20)
        nameStarts.reserveCapacity(expectedNames + 1)
        parents.reserveCapacity(expectedNames)
    }

    var count: Int { parents.count }

    /// The probe shared by the builder and the frozen trie.
    @inlinable
    static func find(_ wire: UnsafeBufferPointer<UInt8>, from start: Int, hash h: UInt32, names: [UInt8], starts: [UInt32],
                     slots: [UInt64], mask: Int) -> Int32? {
        let length = wire.count - start
        return names.withUnsafeBufferPointer { names in
            slots.withUnsafeBufferPointer { slots in
                starts.withUnsafeBufferPointer { starts in
                    var slot = Int(h) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == NameTableBuilder.emptySlot { return nil }
                        if UInt32(truncatingIfNeeded: entry >> 32) == h {
                            let n = Int(UInt32(truncatingIfNeeded: entry))
                            let s = Int(starts[n])
                            if Int(starts[n + 1]) - s == length {
                                var equal = true
                                for k in 0..<length where names[s + k] != DomainName.fold(wire[start + k]) {
                                    equal = false
                                    break
                                }
                                if equal { return Int32(n) }
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    func find(_ wire: UnsafeBufferPointer<UInt8>, from start: Int, hash h: UInt32) -> Int32? {
        NameTableBuilder.find(wire, from: start, hash: h, names: nameBytes, starts: nameStarts, slots: slots, mask: mask)
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
        parents.append(parent)
        place(UInt64(h) << 32 | UInt64(UInt32(id)))
        return id
    }

    mutating func place(_ entry: UInt64) {
        var slot = Int(truncatingIfNeeded: entry >> 32) & mask
        while slots[slot] != NameTableBuilder.emptySlot { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: NameTableBuilder.emptySlot, count: old.count * 2)
        mask = slots.count - 1
        for entry in old where entry != NameTableBuilder.emptySlot { place(entry) }
    }

    /// Node `id`'s name as first written.
    func name(of id: Int32) -> DomainName {
        DomainName(uncheckedWire: originalCase[id] ?? Array(nameBytes[Int(nameStarts[Int(id)])..<Int(nameStarts[Int(id) + 1])]))
    }
}
