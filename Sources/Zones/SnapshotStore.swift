import Atomics

/// Holds the current immutable snapshot (zones, health) behind one atomic reference.
///
/// Writers build a whole new snapshot and swap it in; readers on the query path keep their
/// own copy and look at `generation` (one relaxed-cost atomic load) to learn when to take
/// the new one, so answering takes no lock and waits for nobody.
public final class SnapshotStore<Snapshot: AtomicReference & Sendable>: Sendable where Snapshot._AtomicBase == Snapshot {
    let reference: ManagedAtomic<Snapshot>
    @usableFromInline let counter: ManagedAtomic<UInt64>

    public init(_ initial: Snapshot) {
        reference = ManagedAtomic(initial)
        counter = ManagedAtomic(0)
    }

    /// The latest snapshot.
    public var current: Snapshot { reference.load(ordering: .acquiring) }

    /// Increases every time `replace` runs.
    @inlinable
    public var generation: UInt64 { counter.load(ordering: .acquiring) }

    /// Publishes `snapshot`; queries that start after this returns see it.
    public func replace(_ snapshot: Snapshot) {
        reference.store(snapshot, ordering: .releasing)
        counter.wrappingIncrement(ordering: .releasing)
    }
}

extension ZoneSet: AtomicReference {}

/// The served zones.
public typealias ZoneStore = SnapshotStore<ZoneSet>
