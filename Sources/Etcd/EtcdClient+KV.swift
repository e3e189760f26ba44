/// Reads, writes and transactions (etcd's KV service).
extension EtcdClient {
    /// The key `key`, or with `prefix` every key starting with it, sorted by key (descending
    /// when asked), at most `limit` of them (0: no limit).
    public func range(_ key: String, prefix: Bool = false, limit: Int64 = 0, sortDescendingByKey: Bool = false,
                      keysOnly: Bool = false, countOnly: Bool = false) async throws(EtcdError) -> EtcdRangeResult {
        var request = GatewayRangeRequest(key: gatewayBytes(key))
        if prefix {
            let range = EtcdKeyRange.prefix(key)
            request.key = gatewayBytes(range.key)
            request.rangeEnd = gatewayBytes(range.end)
        }
        if limit > 0 { request.limit = String(limit) }
        if sortDescendingByKey {
            request.sortOrder = "DESCEND"
            request.sortTarget = "KEY"
        }
        if keysOnly { request.keysOnly = true }
        if countOnly { request.countOnly = true }
        return try await call("/v3/kv/range", request, as: GatewayRangeResponse.self).result
    }

    /// Writes `value` under `key`, attached to `lease` when given; returns the store
    /// revision of the write.
    @discardableResult
    public func put(_ key: String, value: [UInt8], lease: Int64? = nil) async throws(EtcdError) -> Int64 {
        let request = GatewayPutRequest(key: gatewayBytes(key), value: gatewayBytes(value), lease: lease.map(String.init))
        return try await call("/v3/kv/put", request, as: GatewayHeaderResponse.self).header.revision
    }

    /// Deletes `key`, or with `prefix` every key starting with it; returns the store
    /// revision after the delete.
    @discardableResult
    public func delete(_ key: String, prefix: Bool = false) async throws(EtcdError) -> Int64 {
        var request = GatewayDeleteRangeRequest(key: gatewayBytes(key))
        if prefix {
            let range = EtcdKeyRange.prefix(key)
            request = GatewayDeleteRangeRequest(key: gatewayBytes(range.key), rangeEnd: gatewayBytes(range.end))
        }
        return try await call("/v3/kv/deleterange", request, as: GatewayHeaderResponse.self).header.revision
    }

    /// Deletes the keys in [`key`, `end`); returns the store revision after the delete.
    @discardableResult
    public func deleteRange(from key: String, to end: String) async throws(EtcdError) -> Int64 {
        let request = GatewayDeleteRangeRequest(key: gatewayBytes(key), rangeEnd: gatewayBytes(end))
        return try await call("/v3/kv/deleterange", request, as: GatewayHeaderResponse.self).header.revision
    }

    /// Runs `success` when every compare holds, else `failure`, atomically.
    public func txn(compare: [EtcdCompare], success: [EtcdOperation], failure: [EtcdOperation] = []) async throws(EtcdError) -> EtcdTxnResult {
        let request = GatewayTxnRequest(compare: compare.map(GatewayCompare.init), success: success.map(GatewayRequestOp.init),
                                        failure: failure.map(GatewayRequestOp.init))
        let response = try await call("/v3/kv/txn", request, as: GatewayTxnResponse.self)
        return EtcdTxnResult(succeeded: response.succeeded, revision: response.header.revision, ranges: response.ranges)
    }

    /// Drops the history before `revision`: reads and watches of older revisions fail from
    /// then on. `physical` waits until the space is reclaimed.
    public func compact(revision: Int64, physical: Bool = false) async throws(EtcdError) {
        _ = try await call("/v3/kv/compaction", GatewayCompactionRequest(revision: String(revision), physical: physical),
                           as: GatewayHeaderResponse.self)
    }
}
