import AsyncHTTPClient
import NIOCore

/// Watching a prefix for changes (etcd's Watch service, a stream in the gateway).
extension EtcdClient {
    /// Streams changes under `prefix` from `fromRevision` (inclusive). The stream ends by
    /// throwing when the connection breaks (`EtcdError.unreachable`) or the revision was
    /// compacted (`.compacted`); the caller resumes from the last batch's `resumeRevision`.
    /// Canceling the consuming task closes the HTTP stream.
    ///
    /// Batches without events are progress notifications (cheap, and they let the caller
    /// advance its revision); the watch's "created" answer is not reported. The watch is
    /// opened on the member that answered last, the others tried in turn when it cannot be
    /// reached; once open, it is never reopened here. Batches are buffered without bound
    /// until consumed, as etcd sends them.
    public func watch(prefix: String, fromRevision: Int64) -> AsyncThrowingStream<EtcdWatchBatch, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: EtcdWatchBatch.self, throwing: (any Error).self)
        let range = EtcdKeyRange.prefix(prefix)
        let request = GatewayWatchRequest(createRequest: .init(
            key: gatewayBytes(range.key), rangeEnd: gatewayBytes(range.end), startRevision: String(fromRevision)))
        let task = Task {
            do throws(EtcdError) {
                try await self.runWatch(request) { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Opens the watch and hands on its batches until it breaks; returns only when the
    /// consumer is gone (the task canceled).
    private func runWatch(_ request: GatewayWatchRequest, yield: (EtcdWatchBatch) -> Void) async throws(EtcdError) {
        let payload = try Self.encode(request)
        var failures: [String] = []
        var lastRejection: EtcdError? = nil
        for index in attemptOrder() {
            if Task.isCancelled { return }
            let endpoint = endpoints[index]
            let post = Self.post(endpoint + "/v3/watch", payload)
            let http = self.http
            let timeout = requestTimeout
            let response: HTTPClientResponse
            do {
                // Bounds only the opening: the answer's head comes at once, its body lasts.
                response = try await Self.within(timeout) { try await http.execute(post, timeout: TimeAmount(timeout)) }
            } catch {
                if Task.isCancelled { return }
                failures.append("\(endpoint): \(Self.describe(error))")
                continue
            }
            guard response.status == .ok else {
                let body = (try? await Self.within(timeout) { try await response.body.collect(upTo: 1 << 20) }).map { Array($0.readableBytesView) } ?? []
                let rejection = Self.rejection(status: Int(response.status.code), body: body)
                guard case .rejected(let code, let message) = rejection, EtcdError.isRetriable(status: code, message: message) else {
                    throw rejection
                }
                failures.append("\(endpoint): \(message)")
                lastRejection = rejection
                continue
            }
            answered(index)
            try await follow(response.body, endpoint: endpoint, yield: yield)
            return
        }
        if let lastRejection { throw lastRejection }
        throw .unreachable(endpoints: endpoints, reason: failures.isEmpty ? "no endpoints configured" : failures.joined(separator: "; "))
    }

    /// Reads the watch stream until it ends or breaks.
    private func follow(_ body: HTTPClientResponse.Body, endpoint: String, yield: (EtcdWatchBatch) -> Void) async throws(EtcdError) {
        let path = "/v3/watch"
        var splitter = GatewayStreamSplitter(limit: Self.maximumMessageBytes)
        var iterator = body.makeAsyncIterator()
        while true {
            let chunk: ByteBuffer?
            do {
                chunk = try await iterator.next()
            } catch {
                if Task.isCancelled { return }
                throw .unreachable(endpoints: [endpoint], reason: "the watch stream broke: \(Self.describe(error))")
            }
            guard let chunk else {
                if Task.isCancelled { return }
                throw .unreachable(endpoints: [endpoint], reason: "the watch stream ended")
            }
            for message in try splitter.append(chunk) {
                let decoded = try Self.decode(GatewayStreamMessage<GatewayWatchResponse>.self, from: message, path: path)
                if let error = decoded.error { throw error.rejection }
                guard let result = decoded.result else { continue }
                if result.compactRevision > 0 { throw .compacted(compactRevision: result.compactRevision) }
                if result.canceled {
                    throw .rejected(status: 1, message: result.cancelReason.isEmpty ? "etcd canceled the watch" : result.cancelReason)
                }
                if result.created && result.events.isEmpty { continue }
                yield(EtcdWatchBatch(revision: result.header.revision, events: result.events))
            }
        }
    }
}
