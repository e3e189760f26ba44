/// Why an etcd call failed.
public enum EtcdError: Error, Sendable, CustomStringConvertible {
    /// No endpoint answered (refused, reset, timed out), or a watch stream broke.
    case unreachable(endpoints: [String], reason: String)
    /// etcd answered with an error: `status` is the gRPC code of the answer (the HTTP status
    /// when the body carries none), `message` etcd's text.
    case rejected(status: Int, message: String)
    /// The revision a watch was to start from has been compacted away; the caller reads the
    /// current state afresh and watches from there.
    case compacted(compactRevision: Int64)
    /// An answer that cannot be decoded (or is larger than the client accepts).
    case malformed(String)

    /// gRPC's code for "unavailable", which etcd uses for no leader, leader changed and
    /// request timed out.
    static let unavailableCode = 14

    /// True when the cluster could not serve the call for now (no member reachable, or no
    /// leader / a leader change / a timeout): the same call may work later.
    public var isUnavailable: Bool {
        switch self {
        case .unreachable: return true
        case .rejected(let status, let message): return Self.isRetriable(status: status, message: message)
        case .compacted, .malformed: return false
        }
    }

    /// The answers worth trying on another member: the ones about the leader or a timeout.
    static func isRetriable(status: Int, message: String) -> Bool {
        status == unavailableCode || message.localizedLowercase.contains("leader")
    }

    public var description: String {
        switch self {
        case .unreachable(let endpoints, let reason):
            return "etcd unreachable at \(endpoints.joined(separator: ", ")): \(reason)"
        case .rejected(let status, let message):
            return "etcd rejected the request (code \(status)): \(message)"
        case .compacted(let revision):
            return "etcd compacted the history up to revision \(revision)"
        case .malformed(let why):
            return "etcd answer not understood: \(why)"
        }
    }
}
