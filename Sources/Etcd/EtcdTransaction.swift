/// A condition of a transaction; each compares one key's field for equality (etcd's
/// compare result EQUAL). A key that does not exist has mod revision and version 0.
public enum EtcdCompare: Sendable {
    case modRevision(key: String, equals: Int64)
    case version(key: String, equals: Int64)
    case value(key: String, equals: [UInt8])
}

/// One step of a transaction branch.
public enum EtcdOperation: Sendable {
    case put(key: String, value: [UInt8], lease: Int64? = nil)
    case delete(key: String)
    case deletePrefix(String)
    /// Reads one key; its answer appears in `EtcdTxnResult.ranges`.
    case range(key: String)
}

/// What a transaction did: which branch ran, the revision after it, and the answers to its
/// `.range` operations.
public struct EtcdTxnResult: Sendable {
    /// True when every compare held and the success branch ran.
    public var succeeded: Bool
    /// The store revision after the transaction (the response header's).
    public var revision: Int64
    /// The answers to the `.range` operations of the branch that ran, in order.
    public var ranges: [EtcdRangeResult]

    public init(succeeded: Bool, revision: Int64, ranges: [EtcdRangeResult]) {
        self.succeeded = succeeded
        self.revision = revision
        self.ranges = ranges
    }
}
