import DNSWire
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An RRset named by where its records are stored rather than by their canonical octets:
/// the storage buffer (by identity), the record range in it, type, TTL and owner. The
/// answer path hands out a zone's sets as ranges of the zone's record storage, so this is
/// known without copying, lower-casing or sorting anything; it is the first key a
/// signature is looked up by.
///
/// The key holds its storage, so the buffer cannot be freed and its address reused while
/// the key lives: two live keys with one address name one immutable buffer, and equal
/// keys have equal canonical octets. Owners compare case-insensitively (as canonical
/// form folds them). The owner is hashed too, eight octets at a time with the case bit
/// set: a zone stores equal RDATA once, so thousands of names can share one range.
public struct StoredSetKey: Hashable, Sendable {
    let storage: [UInt8]
    let address: UInt
    let start: Int
    let end: Int
    let type: RecordType
    let ttl: UInt32
    let owner: DomainName

    @inline(__always)
    public init(owner: DomainName, type: RecordType, ttl: UInt32, data: RecordDataBytes) {
        storage = data.storage
        address = data.storage.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        start = data.start
        end = data.end
        self.type = type
        self.ttl = ttl
        self.owner = owner
    }

    @inline(__always)
    public static func == (lhs: StoredSetKey, rhs: StoredSetKey) -> Bool {
        lhs.address == rhs.address && lhs.start == rhs.start && lhs.end == rhs.end && lhs.type == rhs.type
            && lhs.ttl == rhs.ttl && lhs.owner.sameName(rhs.owner)
    }

    @inline(__always)
    public func hash(into hasher: inout Hasher) {
        hasher.combine(address)
        hasher.combine(start)
        hasher.combine(end)
        hasher.combine(type.rawValue)
        hasher.combine(ttl)
        owner.wire.withUnsafeBytes { raw in
            // Setting 0x20 in every octet maps both cases of a letter to one value, so
            // names equal under case folding hash alike.
            var i = 0
            while i + 8 <= raw.count {
                hasher.combine(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | 0x2020_2020_2020_2020)
                i += 8
            }
            var tail: UInt64 = 0
            while i < raw.count {
                tail = tail << 8 | UInt64(raw[i] | 0x20)
                i += 1
            }
            hasher.combine(tail)
            hasher.combine(raw.count)
        }
    }
}

extension DomainName {
    /// `==` with a fast path: the same storage, or the same octets (the usual case, a query
    /// name as the zone spells it), before comparing octet by octet with case folded.
    @inline(__always)
    public func sameName(_ other: DomainName) -> Bool {
        let a = wire, b = other.wire
        guard a.count == b.count else { return false }
        let exact = a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in x.baseAddress == y.baseAddress || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
        return exact || self == other
    }
}
