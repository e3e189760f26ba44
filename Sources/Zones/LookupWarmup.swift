import CMemoryHints
import DNSWire
import Routing

/// A question's lookup, started ahead of its answer so that its waits on memory overlap
/// those of the other questions of the same batch.
///
/// Answering one question follows a chain of reads through the zone (index slot, node
/// facts, RRset entry or routed group, record bytes), each waiting on the one before; with
/// a zone of thousands of names and the kernel's work between two datagrams, most are
/// misses. A UDP worker holding a batch of datagrams walks each stage over the whole
/// batch before answering the first: each stage reads what the previous one fetched and
/// asks for the next lines, so one question's misses are paid while the others' stages
/// run. Only hints are issued: a stage that finds nothing (another type, a name that does
/// not exist, a reload in between) stops the walk and changes no answer.
public struct LookupWarmup: Sendable {
    var zone: Int32 = -1
    var node: Int32 = -1
    var hash: UInt32 = 0
    var type: UInt16 = 0
    /// The routed group stage 4 found, not counted (the zone set being warmed holds it).
    var group: Unmanaged<RoutedGroup>?

    public init() {}

    /// Forgets the walk (the next `start` begins a new one).
    public mutating func reset() { zone = -1; node = -1; group = nil }
}

extension ZoneSet {
    /// Walks every stage over the first `count` warm-ups, each stage over all of them
    /// before the next, `message(i)` being the datagram of warm-up `i`.
    public func warm(_ warmups: UnsafeMutableBufferPointer<LookupWarmup>, count: Int, message: (Int) -> UnsafeRawBufferPointer) {
        let count = min(count, warmups.count)
        for i in 0..<count { warmStart(&warmups[i], message: message(i)) }
        for i in 0..<count { warmNode(&warmups[i]) }
        for i in 0..<count { warmEntry(&warmups[i]) }
        for i in 0..<count { warmData(&warmups[i]) }
        for i in 0..<count { warmDecision(&warmups[i]) }
    }

    /// Stage 1: reads the question of `message` (a query's wire form), finds its zone and
    /// asks for the index slot of its name. Stops for anything but one plain question.
    func warmStart(_ warmup: inout LookupWarmup, message: UnsafeRawBufferPointer) {
        warmup.reset()
        let bytes = message.bindMemory(to: UInt8.self)
        // One question (RFC 1035 §4.1.1 QDCOUNT) at offset 12.
        guard bytes.count > 16, bytes[4] == 0, bytes[5] == 1 else { return }
        var end = 12
        while true {
            guard end < bytes.count, end - 12 < 255 else { return }
            let length = Int(bytes[end])
            if length == 0 { break }
            guard length < 64 else { return }
            end += 1 + length
        }
        guard end + 2 < bytes.count else { return }
        warmup.type = UInt16(bytes[end + 1]) << 8 | UInt16(bytes[end + 2])
        let wire = UnsafeBufferPointer(rebasing: bytes[12...end])
        NameTrie.withSuffixHashes(wire) { offsets, suffixHashes in
            guard let index = zoneIndex(wire, offsets: offsets, suffixHashes: suffixHashes) else { return }
            warmup.zone = Int32(index)
            warmup.hash = suffixHashes[0]
            zones[index].trie.prefetchSlot(hash: suffixHashes[0])
        }
    }

    /// Stage 2: reads the slot, and asks for the facts of the node it names.
    func warmNode(_ warmup: inout LookupWarmup) {
        guard warmup.zone >= 0 else { return }
        let trie = zones[Int(warmup.zone)].trie
        warmup.node = trie.prefetchNode(hash: warmup.hash)
    }

    /// Stage 3: reads the node's facts, and asks for its name and for the entry of its
    /// RRset or routed group.
    func warmEntry(_ warmup: inout LookupWarmup) {
        guard warmup.zone >= 0, warmup.node >= 0 else { return }
        zones[Int(warmup.zone)].trie.prefetchEntries(of: warmup.node)
    }

    /// Stage 4: reads the entry of the question's type and asks for its records, or for
    /// the routed group's first line.
    func warmData(_ warmup: inout LookupWarmup) {
        guard warmup.zone >= 0, warmup.node >= 0 else { return }
        warmup.group = zones[Int(warmup.zone)].trie.prefetchData(of: warmup.node, type: warmup.type)
    }

    /// Stage 5, for a routed group: reads its first line and asks for what its policy
    /// reads next, the plan's per-set entries and the sets' contents.
    func warmDecision(_ warmup: inout LookupWarmup) {
        warmup.group?._withUnsafeGuaranteedRef { $0.prefetchDecision() }
    }
}

extension NameTrie {
    /// The longest run of slots a warm-up probes before it gives up (a lookup itself
    /// probes on to the empty slot).
    static let warmupProbes = 4

    func prefetchSlot(hash: UInt32) {
        slots.prefetch(at: Int(hash) & mask)
    }

    /// The node whose slot carries `hash` (the first of them: the name is not compared),
    /// its facts asked for; -1 if none is near.
    func prefetchNode(hash: UInt32) -> Int32 {
        let found: Int32 = slots.withUnsafeBufferPointer { slots in
            var slot = Int(hash) & mask
            for _ in 0..<NameTrie.warmupProbes {
                let entry = slots[slot]
                if entry == NameTableBuilder.emptySlot { return -1 }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash { return Int32(truncatingIfNeeded: entry) }
                slot = (slot + 1) & mask
            }
            return -1
        }
        guard found >= 0, Int(found) < flagBits.count else { return -1 }
        let i = Int(found)
        nameStarts.prefetch(at: i)
        flagBits.prefetch(at: i)
        setStarts.prefetch(at: i)
        setCounts.prefetch(at: i)
        groupStarts.prefetch(at: i)
        return found
    }

    func prefetchEntries(of node: Int32) {
        let i = Int(node)
        nameBytes.prefetch(at: Int(nameStarts[i]))
        if setCounts[i] > 0 { sets.prefetch(at: Int(setStarts[i])) }
        if groupStarts[i] != groupStarts[i + 1] { groupEntries.prefetch(at: Int(groupStarts[i])) }
    }

    func prefetchData(of node: Int32, type: UInt16) -> Unmanaged<RoutedGroup>? {
        if let position = plainSet(of: node, type: RecordType(rawValue: type)) {
            recordData.prefetch(at: Int(sets[position].start))
            return nil
        }
        // The group the answer will read: the type's own, else a CNAME or ALIAS group.
        guard let group = self.node(node).groupReference(answering: RecordType(rawValue: type)) else { return nil }
        switchyard_prefetch(group.toOpaque())
        return group
    }
}
