import Synchronization

/// A zone's budget of fresh signatures per second, shared by every query thread: a flood
/// of random names needs a new denial signed for each, and past the budget those
/// answers fail (SERVFAIL) instead of taking every core. Cached signatures do not count.
/// One atomic word (second and count), touched only when a signature is about to be made,
/// which costs far more than the atomic.
public final class SignatureRateCap: Sendable {
    public let perSecond: Int
    let state = Atomic<UInt64>(0)

    /// `perSecond` 0 is no cap.
    public init(perSecond: Int) {
        self.perSecond = perSecond
    }

    /// Whether one more signature may be made in `second`; counts it when so.
    public func admit(second: UInt32) -> Bool {
        guard perSecond > 0 else { return true }
        var old = state.load(ordering: .relaxed)
        while true {
            let sameSecond = UInt32(truncatingIfNeeded: old >> 32) == second
            let used = sameSecond ? Int(old & 0xFFFF_FFFF) : 0
            guard used < perSecond else { return false }
            let new = UInt64(second) << 32 | UInt64(used + 1)
            let (exchanged, original) = state.compareExchange(expected: old, desired: new, ordering: .relaxed)
            if exchanged { return true }
            old = original
        }
    }
}
