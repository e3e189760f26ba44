/// Questions to one member about itself (etcd's Maintenance service).
extension EtcdClient {
    /// Which member answers at `endpoint`, which member it follows as leader (0 while there
    /// is none) and its store revision. Asks that endpoint only, with no failover; a member
    /// without a leader answers too.
    public func memberStatus(endpoint: String) async throws(EtcdError) -> (memberID: UInt64, leaderID: UInt64, revision: Int64) {
        let path = "/v3/maintenance/status"
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        switch await attempt(base + path, try Self.encode(GatewayEmpty()), firstMessageOnly: false, requireLeader: false) {
        case .answered(200, let body):
            let status = try Self.decode(GatewayStatusResponse.self, from: body, path: path)
            return (status.header.memberID, status.leader, status.header.revision)
        case .answered(let code, let body):
            throw Self.rejection(status: code, body: body)
        case .failed(let reason):
            throw .unreachable(endpoints: [base], reason: reason)
        case .tooLarge:
            throw .malformed("\(path) answered more than \(Self.maximumMessageBytes) bytes")
        }
    }
}
