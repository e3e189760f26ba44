import DNSWire

/// Where a search of the tree ended: the data-section offset of the record that covers
/// the address (nil when the database has no data for it), and the prefix length of the
/// network that outcome holds for.
public struct MMDBSearchResult: Hashable, Sendable {
    public var prefixLength: Int
    public var dataOffset: Int?

    public init(prefixLength: Int, dataOffset: Int?) {
        self.prefixLength = prefixLength
        self.dataOffset = dataOffset
    }
}

/// A MaxMind DB file (GeoLite2, GeoIP2, DB-IP and any other `.mmdb`), read whole into
/// memory, written from the public format specification, version 2.0.
///
/// Opening checks everything the lookups rely on: the metadata, the tree's size
/// against the file, and every tree record against the data section. After that a
/// `search` is a walk of at most 128 records that cannot leave the tree and never
/// allocates. Decoding a record (`lookup`, `location(for:)`) costs allocations; for the
/// query path build a `MaxMindLocationTable` once with `locationTable()`.
///
/// IPv4 addresses in an IPv6 database are looked up in the `::/96` subtree, as the
/// format specifies, and their prefix lengths are reported in IPv4 terms (0–32). An
/// IPv6 address in an IPv4-only database finds nothing.
public struct MaxMindDatabase: Sendable {
    public let metadata: MaxMindMetadata
    let bytes: [UInt8]
    let nodeCount: Int
    let recordSize: Int
    /// Absolute bounds of the data section: after the tree and its 16-byte separator,
    /// up to the metadata marker.
    let dataStart: Int
    let dataEnd: Int
    /// The record reached by following 96 zero bits from the root (the root itself in an
    /// IPv4 database), where IPv4 lookups start.
    let ipv4Start: Int

    static let metadataMarker: [UInt8] = [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)
    static let maxMetadataSize = 128 * 1024
    static let separatorSize = 16

    /// Reads and checks the file at `path`.
    public init(contentsOf path: String) throws(MMDBError) {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
        try self.init(bytes: bytes)
    }

    /// Checks and wraps a whole file already in memory.
    public init(bytes: [UInt8]) throws(MMDBError) {
        guard let marker = Self.lastMarker(in: bytes) else { throw .metadataMarkerMissing }
        let metadataStart = marker + Self.metadataMarker.count
        let metadataDecoder = MMDBDecoder(bytes: bytes, sectionStart: metadataStart, sectionEnd: bytes.count)
        let metadata = try MaxMindMetadata(metadataDecoder.value(at: metadataStart))
        let treeSize = metadata.searchTreeSize
        guard treeSize + Self.separatorSize <= marker else {
            throw .searchTreeTooLarge(nodeCount: metadata.nodeCount, treeBytes: treeSize, available: marker)
        }
        self.metadata = metadata
        self.bytes = bytes
        nodeCount = metadata.nodeCount
        recordSize = metadata.recordSize
        dataStart = treeSize + Self.separatorSize
        dataEnd = marker
        try Self.checkTreeRecords(bytes, metadata: metadata, dataSize: dataEnd - dataStart)
        ipv4Start = Self.findIPv4Start(bytes, metadata: metadata)
    }

    /// The last occurrence of the marker within the final 128 KiB: the data section may
    /// contain the same bytes by chance, so the last one is the real one.
    private static func lastMarker(in bytes: [UInt8]) -> Int? {
        let marker = metadataMarker
        guard bytes.count >= marker.count else { return nil }
        let lowest = max(0, bytes.count - maxMetadataSize)
        var start = bytes.count - marker.count
        while start >= lowest {
            if bytes[start] == marker[0] && bytes[start..<(start + marker.count)].elementsEqual(marker) {
                return start
            }
            start -= 1
        }
        return nil
    }

    /// Every record must be a node, the "no data" value, or an offset inside the data
    /// section; checking once here is what lets `search` skip bounds checks.
    private static func checkTreeRecords(_ bytes: [UInt8], metadata: MaxMindMetadata, dataSize: Int) throws(MMDBError) {
        let nodeCount = metadata.nodeCount
        let badNode: (node: Int, record: Int)? = bytes.withUnsafeBufferPointer { b in
            for node in 0..<nodeCount {
                for side in 0...1 {
                    let record = Self.record(in: b, node: node, side: side, recordSize: metadata.recordSize)
                    if record <= nodeCount { continue }
                    let offset = record - nodeCount - separatorSize
                    if offset < 0 || offset >= dataSize { return (node, record) }
                }
            }
            return nil
        }
        if let badNode { throw .treeRecordOutOfRange(node: badNode.node, record: badNode.record) }
    }

    private static func findIPv4Start(_ bytes: [UInt8], metadata: MaxMindMetadata) -> Int {
        guard metadata.ipVersion == 6 else { return 0 }
        return bytes.withUnsafeBufferPointer { b in
            var node = 0
            var depth = 0
            while depth < 96 && node < metadata.nodeCount {
                node = Self.record(in: b, node: node, side: 0, recordSize: metadata.recordSize)
                depth += 1
            }
            return node
        }
    }

    /// Record `side` (0 or 1) of `node`, which must be < `nodeCount`.
    @inline(__always)
    func record(node: Int, side: Int) -> Int {
        bytes.withUnsafeBufferPointer { Self.record(in: $0, node: node, side: side, recordSize: recordSize) }
    }

    /// The three layouts of the specification's "Node Layout": 24 and 32 bits are two
    /// big-endian integers; 28 bits keep each record's top nibble in the middle byte.
    @inline(__always)
    static func record(in b: UnsafeBufferPointer<UInt8>, node: Int, side: Int, recordSize: Int) -> Int {
        switch recordSize {
        case 24:
            let o = node &* 6 &+ side &* 3
            return Int(b[o]) << 16 | Int(b[o &+ 1]) << 8 | Int(b[o &+ 2])
        case 28:
            let o = node &* 7
            if side == 0 {
                return (Int(b[o &+ 3]) & 0xF0) << 20 | Int(b[o]) << 16 | Int(b[o &+ 1]) << 8 | Int(b[o &+ 2])
            }
            return (Int(b[o &+ 3]) & 0x0F) << 24 | Int(b[o &+ 4]) << 16 | Int(b[o &+ 5]) << 8 | Int(b[o &+ 6])
        default:
            let o = node &* 8 &+ side &* 4
            return Int(b[o]) << 24 | Int(b[o &+ 1]) << 16 | Int(b[o &+ 2]) << 8 | Int(b[o &+ 3])
        }
    }

    /// Walks the tree for `address`. No allocation, no decoding: callers that cache
    /// decoded records by `dataOffset` pay for decoding once per record.
    public func search(_ address: IPAddress) -> MMDBSearchResult {
        var node = nodeCount
        var depth = 0
        bytes.withUnsafeBufferPointer { b in
            switch address {
            case .v4(let a):
                node = ipv4Start
                while node < nodeCount && depth < 32 {
                    let bit = Int(truncatingIfNeeded: (a.value >> UInt32(31 - depth)) & 1)
                    node = Self.record(in: b, node: node, side: bit, recordSize: recordSize)
                    depth &+= 1
                }
            case .v6(let a):
                guard metadata.ipVersion == 6 else {
                    node = nodeCount
                    return
                }
                node = 0
                while node < nodeCount && depth < 128 {
                    let half = depth < 64 ? a.high : a.low
                    let bit = Int(truncatingIfNeeded: (half >> UInt64(63 - (depth & 63))) & 1)
                    node = Self.record(in: b, node: node, side: bit, recordSize: recordSize)
                    depth &+= 1
                }
            }
        }
        // A walk that used up every bit while still on a node found nothing either.
        guard node > nodeCount else { return MMDBSearchResult(prefixLength: depth, dataOffset: nil) }
        return MMDBSearchResult(prefixLength: depth, dataOffset: node - nodeCount - Self.separatorSize)
    }

    var dataDecoder: MMDBDecoder {
        MMDBDecoder(bytes: bytes, sectionStart: dataStart, sectionEnd: dataEnd)
    }

    /// The decoded record at a data-section offset returned by `search`.
    public func record(atDataOffset offset: Int) throws(MMDBError) -> MMDBValue {
        guard offset >= 0 && offset < dataEnd - dataStart else {
            throw .pointerOutOfRange(offset: dataStart, pointer: offset)
        }
        return try dataDecoder.value(at: dataStart + offset)
    }

    /// The record covering `address` and the prefix length of its network, or nil when
    /// the database has no data for the address.
    public func lookup(_ address: IPAddress) throws(MMDBError) -> (prefixLength: Int, record: MMDBValue)? {
        let result = search(address)
        guard let offset = result.dataOffset else { return nil }
        return (result.prefixLength, try record(atDataOffset: offset))
    }
}
