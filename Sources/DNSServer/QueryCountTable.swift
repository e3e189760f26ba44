import CMemoryHints
import Foundation
import Metrics
import Zones

/// One query thread's answer counts by key, for `QueryTally`: an open-addressing table
/// whose keys are three machine words (the zone's and the routed group's identities, and
/// the type, rcode, set and transport packed in one), found with a multiply-and-shift hash
/// and compared word by word; a key and its count fill half a cache line. A key stays in
/// the table across flushes, so counting an answer seen in the last second is a probe and
/// an add. A key not counted for a whole flush is removed then, letting go of its zone and
/// group, unless its zone is still served: such a key stays until it has gone uncounted
/// for `idleLimit` flushes, so that a name asked less than once a second does not make
/// its key, and the metrics series behind it, be looked up again each time.
///
/// The zone and group of each key are held (`holds`, written only when a key is added), so
/// an identity cannot be reused by another object while its key is here.
struct QueryCountTable {
    struct Key: Equatable {
        var zone: UInt
        var group: UInt
        /// Never 0 for a key in use: `QueryTally.pack` sets a bit that marks it.
        var packed: UInt64
    }

    struct Entry {
        var key: Key
        var count: Int
    }

    /// What a key holds, and the counter its counts go to (made at its first flush).
    struct Hold {
        var zone: Zone?
        var group: RoutedGroup?
        var counter: Counter?
        /// Flushes in a row the key went uncounted.
        var idleFlushes: UInt16 = 0

        /// The group, without counting a reference (the hold keeps it).
        var groupReference: Unmanaged<RoutedGroup>? { group.map(Unmanaged.passUnretained) }
    }

    /// How many flushes in a row a key of a zone still served may go uncounted before it
    /// is removed.
    static let idleLimit: UInt16 = 60

    static let empty = Entry(key: Key(zone: 0, group: 0, packed: 0), count: 0)

    /// Tables of this many bytes and more are aligned to and backed by huge pages.
    static let hugePageThreshold = 2 << 20

    /// The entries, in memory of their own (see `EntryStorage`).
    private var storage: EntryStorage
    var entries: UnsafeMutableBufferPointer<Entry> { storage.entries }
    var holds: [Hold]
    private(set) var occupied = 0
    private var shift: UInt64

    init(capacity: Int = 256) {
        var size = 16
        while size < capacity { size <<= 1 }
        storage = EntryStorage(count: size)
        holds = Array(repeating: Hold(), count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// A table's entries. A table of megabytes is probed at random once per answer: on
    /// 4 KiB pages most probes would also miss the address translation cache, and a page
    /// walk under a hypervisor is two. So from `hugePageThreshold` on the entries are
    /// aligned to 2 MiB and marked for huge pages before they are first written.
    /// Owned by one table (a table is never copied and then used twice).
    final class EntryStorage {
        let entries: UnsafeMutableBufferPointer<Entry>

        init(count: Int) {
            let bytes = count * MemoryLayout<Entry>.stride
            guard let memory = switchyard_allocate_huge_aligned(bytes) else {
                fatalError("cannot allocate \(bytes) octets of query counts")
            }
            entries = UnsafeMutableBufferPointer(start: memory.bindMemory(to: Entry.self, capacity: count), count: count)
            entries.initialize(repeating: QueryCountTable.empty)
            // A fault the kernel could not serve with a huge page (none free just then)
            // got small pages: collapsing them now waits for one.
            if bytes >= QueryCountTable.hugePageThreshold { _ = switchyard_back_with_huge_pages(memory, bytes) }
        }

        deinit { free(entries.baseAddress) }
    }

    var capacity: Int { entries.count }

    @inline(__always)
    func home(of key: Key) -> Int {
        let hash = (UInt64(key.zone) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(key.group) &* 0xC2B2_AE3D_27D4_EB4F) ^ (key.packed &* 0x1656_67B1_9E37_79F9)
        return Int(truncatingIfNeeded: hash >> shift)
    }

    /// Starts fetching the slot where a probe for `key` begins, for a count made a little
    /// later: the table is too large to stay in the caches, and the probe would otherwise
    /// wait on memory.
    @inline(__always)
    func prefetch(_ key: Key) {
        switchyard_prefetch_for_write(entries.baseAddress! + home(of: key))
    }

    /// Whether `slot` holds a key.
    @inline(__always)
    func isUsed(_ slot: Int) -> Bool { entries[slot].key.packed != 0 }

    /// Adds `n` to the count of `key` (whose `packed` is not 0), adding the key (holding
    /// `zone` and `group`) if new.
    @inline(__always)
    mutating func add(_ n: Int, to key: Key, zone: Zone?, group: RoutedGroup?) {
        let mask = entries.count - 1
        var slot = home(of: key)
        while entries[slot].key.packed != 0 {
            if entries[slot].key == key {
                entries[slot].count += n
                return
            }
            slot = (slot + 1) & mask
        }
        insert(n, key: key, hold: Hold(zone: zone, group: group), at: slot)
    }

    private mutating func insert(_ n: Int, key: Key, hold: Hold, at slot: Int) {
        // At most half full, so probes stay short and an empty slot always ends them.
        if (occupied + 1) * 2 > entries.count {
            rebuild(size: entries.count * 2)
            var slot = home(of: key)
            while isUsed(slot) { slot = (slot + 1) & (entries.count - 1) }
            insert(n, key: key, hold: hold, at: slot)
            return
        }
        entries[slot] = Entry(key: key, count: n)
        holds[slot] = hold
        occupied += 1
    }

    private mutating func rebuild(size: Int) {
        var next = QueryCountTable(capacity: size)
        let mask = size - 1
        for slot in entries.indices where isUsed(slot) {
            var to = next.home(of: entries[slot].key)
            while next.isUsed(to) { to = (to + 1) & mask }
            next.entries[to] = entries[slot]
            next.holds[to] = holds[slot]
            next.occupied += 1
        }
        self = next
    }

    /// After a flush has read every count: sets the counts to 0, and removes (letting go of
    /// what they hold) the keys not counted since the last flush, except those whose zone
    /// `isServed` (given the zone's identity), or that hold no zone, until they reach
    /// `idleLimit` such flushes.
    mutating func endFlush(isServed: (UInt) -> Bool = { _ in false }) {
        var idle: [Key] = []
        for slot in entries.indices where isUsed(slot) {
            if entries[slot].count != 0 {
                entries[slot].count = 0
                holds[slot].idleFlushes = 0
                continue
            }
            holds[slot].idleFlushes += 1
            let zone = entries[slot].key.zone
            if holds[slot].idleFlushes >= QueryCountTable.idleLimit || (zone != 0 && !isServed(zone)) { idle.append(entries[slot].key) }
        }
        for key in idle { remove(key) }
    }

    /// Removes `key`, moving back the keys after it in its run that may no longer be
    /// found past the gap (deletion without tombstones under linear probing).
    private mutating func remove(_ key: Key) {
        let mask = entries.count - 1
        var gap = home(of: key)
        while entries[gap].key != key {
            guard isUsed(gap) else { return }
            gap = (gap + 1) & mask
        }
        var next = (gap + 1) & mask
        while isUsed(next) {
            let home = home(of: entries[next].key)
            // Moves back unless its home lies cyclically in (gap, next].
            let stays = gap <= next ? (gap < home && home <= next) : (gap < home || home <= next)
            if !stays {
                entries[gap] = entries[next]
                holds[gap] = holds[next]
                gap = next
            }
            next = (next + 1) & mask
        }
        entries[gap] = QueryCountTable.empty
        holds[gap] = Hold()
        occupied -= 1
    }
}
