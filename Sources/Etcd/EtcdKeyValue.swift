/// One key as etcd stores it: the value and the revisions that let a caller order and
/// compare writes (`modRevision` for optimistic transactions, `lease` for keys that vanish
/// with their owner).
public struct EtcdKeyValue: Sendable, Hashable {
    public var key: String
    public var value: [UInt8]
    public var createRevision: Int64
    public var modRevision: Int64
    public var version: Int64
    public var lease: Int64

    public init(key: String, value: [UInt8], createRevision: Int64 = 0, modRevision: Int64 = 0, version: Int64 = 0, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }
}

/// The answer to a range read: the keys found and the store revision they were read at,
/// so a watch started at `revision + 1` continues exactly where the read left off.
public struct EtcdRangeResult: Sendable {
    /// The store revision of the read (the response header's).
    public var revision: Int64
    public var kvs: [EtcdKeyValue]
    /// How many keys the range holds, whatever the limit.
    public var count: Int64
    /// True when a limit cut the answer short.
    public var more: Bool

    public init(revision: Int64, kvs: [EtcdKeyValue], count: Int64, more: Bool) {
        self.revision = revision
        self.kvs = kvs
        self.count = count
        self.more = more
    }
}
