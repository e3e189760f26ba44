/// One change seen by a watch.
public struct EtcdWatchEvent: Sendable {
    public enum Kind: Sendable {
        case put
        case delete
    }

    public var kind: Kind
    /// The key after a put; for a delete only `key` and `modRevision` (the revision of the
    /// delete) are set.
    public var kv: EtcdKeyValue

    public init(kind: Kind, kv: EtcdKeyValue) {
        self.kind = kind
        self.kv = kv
    }
}

/// The changes of one watch response, in revision order.
///
/// A batch with no events is a progress notification: nothing changed under the watched
/// prefix up to `revision`. The watch's `created` answer is not reported.
public struct EtcdWatchBatch: Sendable {
    /// The store revision the response was sent at (its header's).
    public var revision: Int64
    public var events: [EtcdWatchEvent]

    public init(revision: Int64, events: [EtcdWatchEvent]) {
        self.revision = revision
        self.events = events
    }

    /// The revision to resume a broken watch from so nothing is missed or seen twice: one
    /// past the last event, or past the header revision for a progress notification.
    ///
    /// Not the header revision for batches with events: while a watch catches up on more
    /// than etcd's batch limit of revisions, a batch's header already names the current
    /// revision though later events are still to come.
    public var resumeRevision: Int64 {
        (events.last?.kv.modRevision ?? revision) + 1
    }
}
