/// Leases: keys that vanish when their writer stops renewing them (etcd's Lease service).
extension EtcdClient {
    /// A new lease of `seconds` (etcd may raise very short ones to its minimum); returns
    /// its ID.
    public func grantLease(ttl seconds: Int64) async throws(EtcdError) -> Int64 {
        let response = try await call("/v3/lease/grant", GatewayLeaseGrantRequest(ttl: String(seconds)), as: GatewayLeaseResponse.self)
        guard response.error.isEmpty else { throw .rejected(status: 2, message: response.error) }
        guard response.id != 0 else { throw .malformed("/v3/lease/grant answered without a lease ID") }
        return response.id
    }

    /// Renews `lease` once; returns the seconds it now has left, 0 or less when the lease is
    /// gone (expired or revoked) and the caller must grant a new one.
    ///
    /// The gateway's keepalive is a stream that stays open after its answer: the first
    /// message is read and the request closed.
    public func keepAlive(lease: Int64) async throws(EtcdError) -> Int64 {
        let path = "/v3/lease/keepalive"
        let bytes = try await exchange(path, try Self.encode(GatewayLeaseRequest(id: String(lease))), firstMessageOnly: true)
        let message = try Self.decode(GatewayStreamMessage<GatewayLeaseResponse>.self, from: bytes, path: path)
        if let error = message.error { throw error.rejection }
        guard let result = message.result else { throw .malformed("\(path) answered neither a result nor an error") }
        return result.ttl
    }

    /// Ends `lease` now, deleting its keys. A lease already gone counts as revoked.
    public func revokeLease(_ lease: Int64) async throws(EtcdError) {
        do throws(EtcdError) {
            _ = try await call("/v3/lease/revoke", GatewayLeaseRequest(id: String(lease)), as: GatewayHeaderResponse.self)
        } catch .rejected(let status, _) where status == Self.notFoundCode {
            return
        }
    }

    /// gRPC's "not found", etcd's answer for a lease that does not exist.
    static let notFoundCode = 5
}
