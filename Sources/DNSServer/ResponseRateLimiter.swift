import Atomics
import DNSWire
#if canImport(Glibc)
import Glibc
#endif

/// Response rate limiting as Knot and BIND do it (SPEC §5): at most `responsesPerSecond`
/// UDP responses per second to one client network (/24 for IPv4, /56 for IPv6); past it
/// replies are dropped, except every `slip`-th, which is sent truncated (TC=1) so a real
/// client behind a spoofed flood retries over TCP and still gets its answer.
///
/// The table is a fixed array of atomic slots (second and count packed in 64 bits),
/// indexed by a keyed hash of the network: no lock, no allocation per query, bounded
/// memory whatever the number of sources. Networks whose hashes collide share a budget,
/// as in Knot's table; the random key keeps a sender from choosing its collisions.
/// Counting is per calendar second of a coarse monotonic clock, so a network may get up to
/// twice the rate across a second boundary.
public final class ResponseRateLimiter: @unchecked Sendable {
    /// What to do with one response.
    public enum Decision: Sendable, Equatable {
        case answer
        case drop
        /// Send a truncated (TC=1) reply with no records instead.
        case slip
    }

    public let responsesPerSecond: UInt32
    /// Every `slip`-th limited reply is sent truncated; 0 drops them all.
    public let slip: UInt32
    let slots: UnsafeMutablePointer<UnsafeAtomic<UInt64>.Storage>
    let slotMask: UInt64
    let key: UInt64

    public static let defaultSlots = 1 << 16

    public init(responsesPerSecond: Int, slip: Int, slots: Int = ResponseRateLimiter.defaultSlots,
                key: UInt64 = UInt64.random(in: .min ... .max)) {
        self.responsesPerSecond = UInt32(clamping: max(1, responsesPerSecond))
        self.slip = UInt32(clamping: max(0, slip))
        var size = 1
        while size < max(1, slots) { size <<= 1 }
        self.slots = .allocate(capacity: size)
        self.slots.initialize(repeating: UnsafeAtomic<UInt64>.Storage(0), count: size)
        slotMask = UInt64(size - 1)
        self.key = key
    }

    deinit {
        slots.deinitialize(count: Int(slotMask) + 1)
        slots.deallocate()
    }

    /// Counts one response to `client` in `second` and says what to do with it.
    public func decide(_ client: IPAddress, second: UInt32) -> Decision {
        let bits: UInt64
        switch IPPrefix(address: client, length: client.bitWidth == 32 ? 24 : 56).address {
        case .v4(let a): bits = UInt64(a.value)
        case .v6(let a): bits = a.high ^ 0x9E37_79B9_7F4A_7C15
        }
        var hash = bits ^ key
        hash = (hash ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 29
        let slot = UnsafeAtomic<UInt64>(at: slots + Int(hash & slotMask))
        var old = slot.load(ordering: .relaxed)
        // Contention on one slot is rare; after a few lost races, answer rather than spin.
        for _ in 0..<8 {
            let count: UInt32 = UInt32(old >> 32) == second ? UInt32(truncatingIfNeeded: old) &+ 1 : 1
            let new = UInt64(second) << 32 | UInt64(count == 0 ? UInt32.max : count)
            let (exchanged, original) = slot.weakCompareExchange(expected: old, desired: new, ordering: .relaxed)
            if exchanged { return decision(count == 0 ? UInt32.max : count) }
            old = original
        }
        return .answer
    }

    func decision(_ count: UInt32) -> Decision {
        guard count > responsesPerSecond else { return .answer }
        guard slip > 0 else { return .drop }
        return (count - responsesPerSecond) % slip == 0 ? .slip : .drop
    }

    /// Seconds of the coarse monotonic clock: a vDSO read, cheap enough per query.
    public static func currentSecond() -> UInt32 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        return UInt32(truncatingIfNeeded: now.tv_sec)
    }
}
