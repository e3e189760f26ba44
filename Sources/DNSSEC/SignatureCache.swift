/// Signatures made online, by the canonical RRset they cover (its octets include owner,
/// type and TTL): one per query thread, so it needs no lock. Bounded by `capacity`
/// entries in two generations: when the newer one fills half the capacity it becomes the
/// older and the oldest is dropped, so RRsets still asked for survive (a hit in the older
/// generation is carried over) and a flood of one-off names cannot grow it. A new
/// signature window empties it.
public struct SignatureCache {
    public let capacity: Int
    var current: [CanonicalKey: [UInt8]] = [:]
    var previous: [CanonicalKey: [UInt8]] = [:]
    var window: SignatureWindow?

    public init(capacity: Int = 20_000) {
        self.capacity = max(2, capacity)
    }

    /// How many signatures it holds.
    public var count: Int { current.count + previous.count }

    /// The signature cached for `canonical` under `window` (the bytes as they were inserted).
    public mutating func signature(for canonical: [UInt8], window: SignatureWindow) -> [UInt8]? {
        if window != self.window {
            current.removeAll(keepingCapacity: true)
            previous.removeAll()
            self.window = window
            return nil
        }
        let key = CanonicalKey(canonical)
        if let found = current[key] { return found }
        guard let found = previous[key] else { return nil }
        insert(found, for: canonical, window: window)
        return found
    }

    public mutating func insert(_ rrsig: [UInt8], for canonical: [UInt8], window: SignatureWindow) {
        if window != self.window {
            current.removeAll(keepingCapacity: true)
            previous.removeAll()
            self.window = window
        }
        if current.count >= capacity / 2 {
            previous = current
            current = [:]
            current.reserveCapacity(capacity / 2)
        }
        current[CanonicalKey(canonical)] = rrsig
    }
}
