import DNSWire

/// The names and plain records of one zone, frozen for answering, with no object per name
/// or per record: names are wire octets back to back, indexed by a flat open-addressing
/// table of node numbers; each node's facts (parent, flags, zone cut, wildcard child) are
/// side-by-side arrays; its RRsets are entries of `sets`, whose record data are ranges of
/// one byte arena (`recordData`).
///
/// Lookups hash the query name's octets in place (ASCII case folded on the fly), every
/// suffix in one pass from the root label outwards, so finding a name or its closest
/// encloser allocates nothing and takes no lock. A class, so the query path holds one
/// reference rather than copying a dozen arrays.
public final class NameTrie: Sendable {
    /// Wire names of all nodes lower-cased (ASCII), back to back; node `i` spans
    /// `nameStarts[i]..<nameStarts[i + 1]`.
    @usableFromInline let nameBytes: [UInt8]
    /// The spelling as first written of the names that have upper-case letters.
    let originalCase: [Int32: [UInt8]]
    @usableFromInline let nameStarts: [UInt32]
    @usableFromInline let slots: [UInt64]
    @usableFromInline let mask: Int
    /// Per node: its parent (-1 for the apex), flags, the delegation at or above it (-1
    /// where the zone is authoritative), and its `*` child (-1 if none).
    @usableFromInline let parents: [Int32]
    @usableFromInline let flagBits: [UInt8]
    @usableFromInline let cuts: [Int32]
    @usableFromInline let wildcards: [Int32]
    /// Node `i`'s plain RRsets are the `setCounts[i]` entries of `sets` from `setStarts[i]`,
    /// sorted by type. Not in node order: the loader freezes each owner's sets as its
    /// lines end.
    @usableFromInline let setStarts: [UInt32]
    @usableFromInline let setCounts: [UInt16]
    @usableFromInline let sets: [StoredRRSet]
    /// The RDATA of every plain record, each after its 16-bit length.
    public let recordData: [UInt8]
    /// Node `i`'s routed groups are `groups[groupStarts[i]..<groupStarts[i + 1]]`, sorted
    /// by type with the ALIAS group last; `groupEntries` holds their types and references side by side.
    @usableFromInline let groupStarts: [UInt32]
    @usableFromInline let groupList: [RoutedGroup]
    /// Per group: its type and a reference to it the query path reads without counting it
    /// (`groupList` keeps the groups alive for as long as the trie), side by side so that
    /// finding a node's group reads one place.
    @usableFromInline let groupEntries: [GroupEntry]
    /// The nodes that hold routed groups, in node order (what validators and the drill
    /// views walk instead of every name).
    public let routedNodes: [Int32]

    /// Names longer than this many labels cannot occur (255 octets allow at most 127).
    public static let maximumLabels = 128

    init(table: NameTableBuilder, flags: [UInt8], cuts: [Int32], wildcards: [Int32], setStarts: [UInt32],
         setCounts: [UInt16], sets: [StoredRRSet], recordData: [UInt8], groupStarts: [UInt32], groups: [RoutedGroup]) {
        nameBytes = table.nameBytes
        originalCase = table.originalCase
        nameStarts = table.nameStarts
        slots = table.slots
        mask = table.mask
        parents = table.parents
        flagBits = flags
        self.cuts = cuts
        self.wildcards = wildcards
        self.setStarts = setStarts
        self.setCounts = setCounts
        self.sets = sets
        self.recordData = recordData
        self.groupStarts = groupStarts
        groupList = groups
        groupEntries = groups.map { GroupEntry(type: $0.type.map { UInt32($0.rawValue) } ?? NameNode.aliasGroupType, group: Unmanaged.passUnretained($0)) }
        var routed: [Int32] = []
        for i in 0..<table.count where groupStarts[i] != groupStarts[i + 1] { routed.append(Int32(i)) }
        routedNodes = routed
    }

    /// A trie of bare names with no records (the zone set's index of origins): node `i`
    /// is `names[i]`, whose parent is not tracked.
    convenience init(names: [DomainName]) {
        var table = NameTableBuilder(expectedNames: names.count)
        for name in names { _ = table.insertUnlinked(name) }
        let count = table.count
        self.init(table: table, flags: [UInt8](repeating: 0, count: count), cuts: [Int32](repeating: -1, count: count),
                  wildcards: [Int32](repeating: -1, count: count), setStarts: [UInt32](repeating: 0, count: count),
                  setCounts: [UInt16](repeating: 0, count: count), sets: [], recordData: [], groupStarts: [UInt32](repeating: 0, count: count + 1), groups: [])
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
        NameTableBuilder.find(wire, from: start, hash: h, names: nameBytes, starts: nameStarts, slots: slots, mask: mask)
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

        @inlinable
        public init(node: Int32, exact: Bool, offset: Int) {
            self.node = node
            self.exact = exact
            self.offset = offset
        }
    }

    /// The node for `name` or, when there is none, its closest existing ancestor. `name`
    /// must be at or below the apex, whose label count is `apexLabels`.
    public func closestMatch(_ name: DomainName, apexLabels: Int) -> Match {
        name.wire.withUnsafeBufferPointer { wire in
            NameTrie.withSuffixHashes(wire) { offsets, suffixHashes in
                closestMatch(wire, offsets: offsets, suffixHashes: suffixHashes, apexLabels: apexLabels)
            }
        }
    }

    /// `closestMatch(_:apexLabels:)` over label offsets and suffix hashes already made
    /// (`withSuffixHashes`), so that finding the zone and the node hashes the name once.
    @inlinable
    public func closestMatch(_ wire: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<UInt8>,
                             suffixHashes: UnsafeBufferPointer<UInt32>, apexLabels: Int) -> Match {
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

    public var count: Int { parents.count }

    /// The bytes the trie's arrays take (names, index, node facts, RRset entries, record
    /// data), not counting routed groups: what a zone of plain names costs in memory.
    public var storageBytes: Int {
        nameBytes.count + originalCase.values.reduce(0) { $0 + $1.count + 16 }
            + (nameStarts.count + setStarts.count + groupStarts.count) * 4 + setCounts.count * 2
            + slots.count * 8 + (parents.count + cuts.count + wildcards.count) * 4 + flagBits.count
            + sets.count * MemoryLayout<StoredRRSet>.stride + recordData.count
    }

    /// Every node, as views (cold paths: validation, listings).
    public var nodes: Nodes { Nodes(trie: self) }

    /// The nodes of a trie as a collection of `NameNode` views.
    public struct Nodes: RandomAccessCollection, Sendable {
        let trie: NameTrie
        public var startIndex: Int { 0 }
        public var endIndex: Int { trie.count }
        public subscript(position: Int) -> NameNode { NameNode(trie: trie, index: Int32(position)) }
    }

    /// Node `index` as a view.
    @inlinable
    public func node(_ index: Int32) -> NameNode { NameNode(trie: self, index: index) }

    /// Node `index`'s name as first written.
    public func name(of index: Int32) -> DomainName {
        let i = Int(index)
        return DomainName(uncheckedWire: originalCase[index] ?? Array(nameBytes[Int(nameStarts[i])..<Int(nameStarts[i + 1])]))
    }
}

/// One routed group of the trie as `NameNode.groupReference(answering:)` finds it.
@usableFromInline
struct GroupEntry: Sendable {
    /// The group's type, `NameNode.aliasGroupType` for the ALIAS group.
    @usableFromInline let type: UInt32
    @usableFromInline let group: Unmanaged<RoutedGroup>
}

/// One plain RRset as a zone stores it: type, record count, TTL, and its record data's
/// range of the zone's byte arena. 16 bytes.
@usableFromInline
struct StoredRRSet: Sendable {
    @usableFromInline var type: UInt16
    @usableFromInline var count: UInt16
    @usableFromInline var ttl: UInt32
    @usableFromInline var start: UInt32
    @usableFromInline var end: UInt32
}
