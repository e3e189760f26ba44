import Etcd
@testable import FleetState
import Foundation
import HealthChecks
import Logging
import Testing

extension EtcdBackedSuites {
    /// An instance's own keys (its report, its vantage's observations) are written over the
    /// modification it last knew. A put that timed out at the instance can still be in a
    /// member's log and be committed later, when a restarted cluster elects that member:
    /// as a plain put it would bring back an old report ("not connected") over the newer
    /// one, and nothing would write the newer one again until the next change.
    @Suite(.serialized, .enabled(if: EtcdCluster.isAvailable, "needs Debian's etcd-server"), .sharedEtcdCluster)
    struct EtcdOwnKeyWriteTests {
        static func report(connected: Bool, revision: Int64) -> InstanceReport {
            InstanceReport(name: "ns1", vantage: "ns1", admin: nil, zones: [], stateRevision: revision, connected: connected,
                           startedAt: Date(timeIntervalSince1970: 1_800_000_000), updatedAt: Date())
        }

        /// The backend of instance ns1 under a prefix of its own, following the cluster;
        /// shut down after `body`.
        static func withBackend(_ body: (EtcdStateBackend, EtcdClient, FleetKeys) async throws -> Void) async throws {
            try await EtcdTest.withSharedCluster { cluster, client in
                let prefix = "/own-key-\(UUID().uuidString.prefix(8))/"
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("own-key-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: folder) }
                let backend = EtcdStateBackend(endpoints: cluster.clientURLs, prefix: prefix, instance: "ns1", vantage: "ns1",
                                               stateDirectory: folder.path, leaseTTL: 10, logger: Logger(label: "own-key-test"))
                let events = backend.events()
                do {
                    _ = try await backend.restore()
                    try await body(backend, client, FleetKeys(prefix: prefix))
                } catch {
                    await backend.shutdown()
                    _ = events
                    throw error
                }
                await backend.shutdown()
                _ = events
            }
        }

        /// The report stored under `key` once a watch from `revision` sees it written with
        /// `connected` (bounded at 10 s).
        static func stored(_ key: String, connected: Bool, client: EtcdClient, from revision: Int64) async throws -> EtcdKeyValue {
            try await EtcdTest.within(.seconds(10), "the report with connected=\(connected) under \(key)") {
                for try await batch in client.watch(prefix: key, fromRevision: revision) {
                    for event in batch.events where event.kind == .put {
                        let report = try FleetCodec.decoder.decode(InstanceReport.self, from: Data(event.kv.value))
                        if report.connected == connected { return event.kv }
                    }
                }
                throw EtcdTest.TimedOut(what: "the watch of \(key) ended")
            }
        }

        @Test func aWriteThatLandsLateDoesNotReplaceTheNewerReport() async throws {
            try await Self.withBackend { backend, client, keys in
                let key = keys.instance("ns1")
                let start = try await client.range(key).revision
                backend.publish(report: Self.report(connected: false, revision: 1))
                let first = try await Self.stored(key, connected: false, client: client, from: start + 1)
                backend.publish(report: Self.report(connected: true, revision: 1))
                let second = try await Self.stored(key, connected: true, client: client, from: first.modRevision + 1)
                #expect(second.modRevision > first.modRevision)

                // The first write as the backend sent it (over the key's absence), committed
                // only now: it must find the key changed and leave the newer report.
                let late = EtcdStateBackend.ownKeyWrite(key, value: FleetCodec.encode(Self.report(connected: false, revision: 1)),
                                                        lease: second.lease, over: 0)
                let outcome = try await client.txn(compare: late.compare, success: late.success, failure: late.failure)
                #expect(!outcome.succeeded)
                let now = try #require(try await client.range(key).kvs.first)
                #expect(now.modRevision == second.modRevision)
                #expect(try FleetCodec.decoder.decode(InstanceReport.self, from: Data(now.value)).connected)
            }
        }

        @Test func aKeyChangedBehindTheInstanceIsReadAndWrittenAgain() async throws {
            try await Self.withBackend { backend, client, keys in
                let key = keys.instance("ns1")
                let start = try await client.range(key).revision
                backend.publish(report: Self.report(connected: true, revision: 1))
                let first = try await Self.stored(key, connected: true, client: client, from: start + 1)
                // An old report lands as a plain put (what a write of an older version did).
                let stale = try await client.put(key, value: FleetCodec.encode(Self.report(connected: false, revision: 1)), lease: first.lease)
                // The next report is written over it although the instance did not know of it.
                backend.publish(report: Self.report(connected: true, revision: 2))
                let next = try await Self.stored(key, connected: true, client: client, from: stale + 1)
                #expect(next.modRevision > stale)
                #expect(try FleetCodec.decoder.decode(InstanceReport.self, from: Data(next.value)).stateRevision == 2)
            }
        }
    }
}
