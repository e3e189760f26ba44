import Etcd
import Foundation
import Testing

extension EtcdBackedSuites {
    /// What the client does when members die, each test on a cluster of its own.
    @Suite(.serialized, .enabled(if: EtcdCluster.isAvailable, "needs Debian's etcd-server"))
    struct EtcdClusterFailureTests {
        @Test func killingTheLeaderFailsPutsOverAndEndsAWatchServedByIt() async throws {
            try await EtcdTest.withCluster { cluster, _ in
                let leader = try await cluster.leaderIndex()
                // The leader first: the client's last answer came from it, so after the kill the
                // client must pass it over for another member.
                let others = cluster.clientURLs.indices.filter { $0 != leader }.map { cluster.clientURLs[$0] }
                try await EtcdTest.withClient(endpoints: [cluster.clientURLs[leader]] + others) { client in
                    let warm = try await client.put("f/warm", value: [0])
                    try await EtcdTest.withClient(endpoints: [cluster.clientURLs[leader]]) { watcher in
                        let (readySignal, ready) = AsyncStream.makeStream(of: Void.self)
                        let consumer = Task { () -> (any Error)? in
                            do {
                                for try await batch in watcher.watch(prefix: "f/", fromRevision: warm + 1) where !batch.events.isEmpty { ready.yield() }
                                return nil
                            } catch {
                                return error
                            }
                        }
                        defer { consumer.cancel() }
                        try await client.put("f/ready", value: [1])
                        try await EtcdTest.within(.seconds(5), "the watch to see a put") { for await _ in readySignal { return } }

                        cluster.kill(leader)
                        let ended = try await EtcdTest.value(of: consumer, within: .seconds(5), "the watch on the killed member to end")
                        guard case .unreachable(let endpoints, _)? = ended as? EtcdError else {
                            Issue.record("the watch on the killed member ended with \(String(describing: ended)), not unreachable")
                            return
                        }
                        #expect(endpoints == [cluster.clientURLs[leader]])
                    }

                    let started = ContinuousClock.now
                    var written: Int64? = nil
                    var lastError: (any Error)? = nil
                    while written == nil && ContinuousClock.now - started < .seconds(5) {
                        do {
                            written = try await client.put("f/after", value: Array("after".utf8))
                        } catch {
                            lastError = error
                            try await Task.sleep(for: .milliseconds(100))
                        }
                    }
                    #expect(written != nil, "no put succeeded within 5 s of killing the leader: \(String(describing: lastError))")
                    #expect(try await client.range("f/after").kvs.first?.value == Array("after".utf8))
                    let newLeader = try await cluster.leaderIndex()
                    #expect(newLeader != leader)

                    // The killed member rejoins on its data and catches up with what it missed.
                    try await cluster.restart(leader)
                    try await cluster.waitHealthy(timeout: .seconds(10))
                    try await EtcdTest.withClient(endpoints: [cluster.clientURLs[leader]]) { rejoined in
                        let read = try await rejoined.range("f/after")
                        #expect(read.kvs.first?.value == Array("after".utf8))
                    }
                }
            }
        }

        @Test func aStoppedClusterIsUnreachableQuicklyAndServesAgainOnceRestarted() async throws {
            try await EtcdTest.withCluster { cluster, client in
                let written = try await client.put("s/kept", value: Array("kept".utf8))
                cluster.stopAll()
                let started = ContinuousClock.now
                do {
                    _ = try await client.range("s/kept")
                    Issue.record("a read succeeded with every member stopped")
                } catch EtcdError.unreachable(let endpoints, let reason) {
                    #expect(endpoints == cluster.clientURLs)
                    #expect(!reason.isEmpty)
                } catch {
                    Issue.record("expected unreachable, got \(error)")
                }
                let took = ContinuousClock.now - started
                #expect(took < .seconds(3), "failing on three stopped members took \(took)")
                do {
                    _ = try await client.put("s/lost", value: [1])
                    Issue.record("a write succeeded with every member stopped")
                } catch {
                    #expect((error as? EtcdError)?.isUnavailable == true, "\(error)")
                }

                try await cluster.restartAll()
                let read = try await client.range("s/kept")
                #expect(read.kvs.first?.value == Array("kept".utf8))
                #expect(read.kvs.first?.modRevision == written)
                #expect(try await client.put("s/new", value: [2]) > written)
            }
        }

        @Test func aHungMemberCostsOneRequestTimeoutBeforeTheNextAnswers() async throws {
            try await EtcdTest.withCluster { cluster, _ in
                let leader = try await cluster.leaderIndex()
                let follower = (leader + 1) % 3
                let others = cluster.clientURLs.indices.filter { $0 != follower }.map { cluster.clientURLs[$0] }
                cluster.pause(follower)
                defer { cluster.resume(follower) }
                try await EtcdTest.withClient(endpoints: [cluster.clientURLs[follower]] + others, requestTimeout: .milliseconds(500)) { client in
                    let started = ContinuousClock.now
                    let written = try await client.put("hung/k", value: [1])
                    let took = ContinuousClock.now - started
                    #expect(written > 0)
                    #expect(took >= .milliseconds(450), "the hung member answered after all (\(took))")
                    #expect(took < .milliseconds(1500), "failing over from the hung member took \(took)")
                    // The member that answered is asked first from now on: no second timeout.
                    let again = ContinuousClock.now
                    let read = try await client.range("hung/k")
                    #expect(read.kvs.first?.modRevision == written)
                    #expect(ContinuousClock.now - again < .milliseconds(400))
                }
            }
        }

        @Test func aMemberWithoutQuorumRejectsAtOnceAndEndsItsWatches() async throws {
            try await EtcdTest.withCluster { cluster, _ in
                try await EtcdTest.withClient(endpoints: [cluster.clientURLs[2]]) { lone in
                    let written = try await lone.put("n/k", value: [1])
                    let consumer = Task { () -> (any Error)? in
                        do {
                            for try await _ in lone.watch(prefix: "n/", fromRevision: written + 1) {}
                            return nil
                        } catch {
                            return error
                        }
                    }
                    defer { consumer.cancel() }
                    let watching = await SwitchyardProcess.poll(within: .seconds(5)) { cluster.watcherCount(2) == 1 }
                    #expect(watching != nil, "the watch never opened")
                    cluster.kill(0)
                    cluster.kill(1)
                    var leaderless = false
                    for _ in 0..<100 where !leaderless {
                        leaderless = (try? await lone.memberStatus(endpoint: cluster.clientURLs[2]))?.leaderID == 0
                        if !leaderless { try await Task.sleep(for: .milliseconds(50)) }
                    }
                    #expect(leaderless, "the lone member still named a leader after 5 s")

                    let started = ContinuousClock.now
                    do {
                        _ = try await lone.put("n/k", value: [2])
                        Issue.record("a put succeeded without quorum")
                    } catch {
                        #expect((error as? EtcdError)?.isUnavailable == true, "\(error)")
                    }
                    let took = ContinuousClock.now - started
                    #expect(took < .seconds(1), "the leaderless member held the put for \(took)")

                    // etcd ends streams after three election timeouts without a leader.
                    let ended = try await EtcdTest.value(of: consumer, within: .seconds(8), "the leaderless member to end its watch")
                    #expect((ended as? EtcdError)?.isUnavailable == true, "the watch ended with \(String(describing: ended))")
                }
            }
        }
    }
}
