import Etcd
import Foundation
import Testing

/// Scaffolding of the etcd tests: clusters and clients that are always stopped, and
/// waits that are always bounded.
enum EtcdTest {
    /// Runs `body` with the suite's cluster and a client of all its members.
    static func withSharedCluster(_ body: (EtcdCluster, EtcdClient) async throws -> Void) async throws {
        let cluster = try #require(EtcdCluster.current, "the suite runs without .sharedEtcdCluster")
        try await EtcdTest.withClient(endpoints: cluster.clientURLs) { client in try await body(cluster, client) }
    }

    /// Runs `body` with a fresh cluster and a client of all its members, and stops both after.
    static func withCluster(_ body: (EtcdCluster, EtcdClient) async throws -> Void) async throws {
        let cluster = try await EtcdCluster.start()
        let client = EtcdClient(endpoints: cluster.clientURLs)
        do {
            try await body(cluster, client)
        } catch {
            await client.shutdown()
            cluster.shutdown()
            throw error
        }
        await client.shutdown()
        cluster.shutdown()
    }

    /// Runs `body` with a client of `endpoints`, and shuts it down after.
    static func withClient(endpoints: [String], requestTimeout: Duration = .seconds(2),
                           _ body: (EtcdClient) async throws -> Void) async throws {
        let client = EtcdClient(endpoints: endpoints, requestTimeout: requestTimeout)
        do {
            try await body(client)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    /// A bounded wait that ran out.
    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }

    /// `operation`'s result, or a failure naming `what` when `limit` passes first.
    static func within<T: Sendable>(_ limit: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut(what: what) }
            return value
        }
    }

    /// The value of `task` once it ends; when `limit` passes first, the task is canceled and
    /// the wait fails naming `what`.
    static func value<T: Sendable>(of task: Task<T, Never>, within limit: Duration, _ what: String) async throws -> T {
        try await EtcdTest.within(limit, what) {
            await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        }
    }

    /// The batches of `stream` up to the one that brings the event count to `events`; the
    /// consumer then stops (which cancels the watch).
    static func batches(_ stream: AsyncThrowingStream<EtcdWatchBatch, any Error>, events: Int,
                        within limit: Duration) async throws -> [EtcdWatchBatch] {
        try await EtcdTest.within(limit, "\(events) watch events") {
            var batches: [EtcdWatchBatch] = []
            for try await batch in stream where !batch.events.isEmpty {
                batches.append(batch)
                if batches.reduce(0, { $0 + $1.events.count }) >= events { return batches }
            }
            throw TimedOut(what: "\(events) watch events before the stream ended")
        }
    }

    /// The events of `batches`, flattened.
    static func events(_ stream: AsyncThrowingStream<EtcdWatchBatch, any Error>, count: Int,
                       within limit: Duration) async throws -> [EtcdWatchEvent] {
        try await batches(stream, events: count, within: limit).flatMap(\.events)
    }
}
