/// A domain name, kept in uncompressed wire form with the case it was written in.
///
/// Equality, hashing and ordering ignore ASCII case (RFC 4343); printing and encoding keep
/// the original case, so answers can echo the query's spelling (RFC 1034 §4.3.1 habit).
public struct DomainName: Sendable, CustomStringConvertible {
    /// Length-prefixed labels ending with the empty root label.
    public let wire: [UInt8]

    /// The root name `.`.
    public static let root = DomainName(uncheckedWire: [0])

    /// Wraps wire bytes that are already known to be a valid uncompressed name.
    @inlinable
    public init(uncheckedWire: [UInt8]) {
        self.wire = uncheckedWire
    }

    /// Validates uncompressed wire bytes: labels of at most 63 octets, at most 255 in all,
    /// ending with the root label and nothing after it.
    public init(wire: [UInt8]) throws(DNSWireError) {
        guard wire.count <= 255 else { throw .nameTooLong }
        var i = 0
        while true {
            guard i < wire.count else { throw .truncated }
            let len = Int(wire[i])
            if len == 0 { break }
            guard len <= 63 else { throw len & 0xC0 == 0 ? .labelTooLong : .badLabelType }
            i += 1 + len
        }
        guard i == wire.count - 1 else { throw .truncated }
        self.wire = wire
    }

    /// Builds a name from labels given as bytes, most specific first.
    public init(labels: [[UInt8]]) throws(DNSWireError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(labels.reduce(1) { $0 + $1.count + 1 })
        for label in labels {
            guard !label.isEmpty else { throw .badLabelType }
            guard label.count <= 63 else { throw .labelTooLong }
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
        }
        bytes.append(0)
        guard bytes.count <= 255 else { throw .nameTooLong }
        self.wire = bytes
    }

    public var isRoot: Bool { wire.count == 1 }

    /// Number of labels, not counting the root label.
    public var labelCount: Int {
        var count = 0
        var i = 0
        while wire[i] != 0 {
            count += 1
            i += 1 + Int(wire[i])
        }
        return count
    }

    /// The labels, most specific first, without the root label.
    public var labels: [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var i = 0
        while wire[i] != 0 {
            let len = Int(wire[i])
            result.append(wire[(i + 1)..<(i + 1 + len)])
            i += 1 + len
        }
        return result
    }

    /// Offsets in `wire` where each label (and finally the root) starts.
    public var labelOffsets: [Int] {
        var result: [Int] = []
        var i = 0
        while true {
            result.append(i)
            if wire[i] == 0 { return result }
            i += 1 + Int(wire[i])
        }
    }

    /// True when the first label is the single octet `*` (RFC 4592 §2.1.1).
    public var isWildcard: Bool { wire.count >= 3 && wire[0] == 1 && wire[1] == UInt8(ascii: "*") }

    /// The name without its first `count` labels.
    public func dropping(labels count: Int) -> DomainName {
        var i = 0
        for _ in 0..<count {
            guard wire[i] != 0 else { return .root }
            i += 1 + Int(wire[i])
        }
        return DomainName(uncheckedWire: Array(wire[i...]))
    }

    /// The parent name (the root's parent is the root).
    public var parent: DomainName { dropping(labels: 1) }

    /// This name with `label` put in front.
    public func prepending(label: [UInt8]) throws(DNSWireError) -> DomainName {
        guard !label.isEmpty else { throw .badLabelType }
        guard label.count <= 63 else { throw .labelTooLong }
        guard wire.count + label.count + 1 <= 255 else { throw .nameTooLong }
        return DomainName(uncheckedWire: [UInt8(label.count)] + label + wire)
    }

    /// `*.` followed by this name.
    public var wildcardChild: DomainName? { try? prepending(label: [UInt8(ascii: "*")]) }

    /// Replaces the suffix `oldSuffix` of this name by `newSuffix` (used for wildcard and DNAME-like rewrites).
    public func replacingSuffix(_ oldSuffix: DomainName, with newSuffix: DomainName) -> DomainName? {
        let keep = wire.count - oldSuffix.wire.count
        guard keep >= 0, isSubdomain(of: oldSuffix) else { return nil }
        let bytes = Array(wire[0..<keep]) + newSuffix.wire
        return bytes.count <= 255 ? DomainName(uncheckedWire: bytes) : nil
    }

    /// True when this name equals `other` or lies below it.
    public func isSubdomain(of other: DomainName) -> Bool {
        let offset = wire.count - other.wire.count
        guard offset >= 0 else { return false }
        // The suffix must start on a label boundary.
        var i = 0
        while i < offset { i += 1 + Int(wire[i]) }
        guard i == offset else { return false }
        return DomainName.equalFolded(wire, offset, other.wire, 0, other.wire.count)
    }

    /// The same name in ASCII lower case (the key used for lookups).
    public func lowercased() -> DomainName {
        DomainName(uncheckedWire: wire.map(DomainName.fold))
    }

    @inlinable @inline(__always)
    public static func fold(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    static func equalFolded(_ a: [UInt8], _ aStart: Int, _ b: [UInt8], _ bStart: Int, _ count: Int) -> Bool {
        for k in 0..<count where fold(a[aStart + k]) != fold(b[bStart + k]) {
            return false
        }
        return true
    }

    public var description: String { presentation }
}

extension DomainName: Hashable {
    public static func == (lhs: DomainName, rhs: DomainName) -> Bool {
        lhs.wire.count == rhs.wire.count && equalFolded(lhs.wire, 0, rhs.wire, 0, lhs.wire.count)
    }

    public func hash(into hasher: inout Hasher) {
        for byte in wire { hasher.combine(DomainName.fold(byte)) }
    }
}

extension DomainName: Comparable {
    /// DNSSEC canonical order (RFC 4034 §6.1): labels compared from the root down, as
    /// lower-cased octet strings; a name sorts before its descendants.
    public static func < (lhs: DomainName, rhs: DomainName) -> Bool {
        let a = lhs.labels.reversed().map { $0.map(fold) }
        let b = rhs.labels.reversed().map { $0.map(fold) }
        for (x, y) in zip(a, b) where x != y {
            return x.lexicographicallyPrecedes(y)
        }
        return a.count < b.count
    }
}
