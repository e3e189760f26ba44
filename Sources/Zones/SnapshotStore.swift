import Atomics
import Synchronization

/// Holds the current immutable snapshot (zones, health) for the query path.
///
/// Writers build a whole new snapshot and swap it in. Readers keep their own copy and
/// look only at `generation` — one atomic load, no lock — to learn when to take the new
/// one; only then, after a reload or a health change, do they take the lock to read it.
public final class SnapshotStore<Snapshot: AnyObject & Sendable>: Sendable {
    let value: Mutex<Snapshot>
    @usableFromInline let counter: ManagedAtomic<UInt64>

    public init(_ initial: Snapshot) {
        value = Mutex(initial)
        counter = ManagedAtomic(0)
    }

    /// The latest snapshot.
    public var current: Snapshot { value.withLock { $0 } }

    /// Increases every time `replace` runs.
    @inlinable
    public var generation: UInt64 { counter.load(ordering: .acquiring) }

    /// Publishes `snapshot`; queries that start after this returns see it.
    public func replace(_ snapshot: Snapshot) {
        value.withLock { $0 = snapshot }
        counter.wrappingIncrement(ordering: .releasing)
    }
}

/// The served zones.
public typealias ZoneStore = SnapshotStore<ZoneSet>
