import Etcd
import Foundation
import Testing

extension EtcdBackedSuites {
    /// The etcd client against a real three-member cluster on loopback, one for the suite:
    /// reads and writes, transactions, leases and watches. Each test keeps to keys of its own.
    @Suite(.serialized, .enabled(if: EtcdCluster.isAvailable, "needs Debian's etcd-server"), .sharedEtcdCluster)
    struct EtcdClientTests {
        @Test func putThenRangeReadsKeysAndPrefixesWithLimitAndDescendingOrder() async throws {
            try await EtcdTest.withSharedCluster { _, client in
                let first = try await client.put("range/p/a", value: Array("1".utf8))
                let second = try await client.put("range/p/b", value: Array("2".utf8))
                let third = try await client.put("range/p/c", value: Array("3".utf8))
                try await client.put("range/p", value: [0xFF, 0x00])
                try await client.put("range/q/a", value: [])
                #expect(first < second && second < third)

                let one = try await client.range("range/p/b")
                #expect(one.kvs.map(\.key) == ["range/p/b"])
                #expect(one.kvs.first?.value == Array("2".utf8))
                #expect(one.kvs.first?.modRevision == second)
                #expect(one.kvs.first?.createRevision == second)
                #expect(one.kvs.first?.version == 1)
                #expect(one.count == 1 && !one.more)
                #expect(one.revision >= third)

                let binary = try await client.range("range/p")
                #expect(binary.kvs.first?.value == [0xFF, 0x00])

                let page = try await client.range("range/p/", prefix: true, limit: 2, sortDescendingByKey: true)
                #expect(page.kvs.map(\.key) == ["range/p/c", "range/p/b"])
                #expect(page.count == 3)
                #expect(page.more)

                let all = try await client.range("range/p/", prefix: true)
                #expect(all.kvs.map(\.key) == ["range/p/a", "range/p/b", "range/p/c"])
                #expect(!all.more)

                let keys = try await client.range("range/p/", prefix: true, keysOnly: true)
                #expect(keys.kvs.map(\.key) == ["range/p/a", "range/p/b", "range/p/c"])
                #expect(keys.kvs.allSatisfy { $0.value.isEmpty })

                let counted = try await client.range("range/p/", prefix: true, countOnly: true)
                #expect(counted.count == 3 && counted.kvs.isEmpty)

                let missing = try await client.range("range/nothing/here")
                #expect(missing.kvs.isEmpty && missing.count == 0 && missing.revision >= third)

                // The empty prefix is the whole store, other tests' keys included.
                let everything = try await client.range("", prefix: true).kvs.map(\.key)
                #expect(everything.filter { $0.hasPrefix("range/") } == ["range/p", "range/p/a", "range/p/b", "range/p/c", "range/q/a"])
                #expect(everything == everything.sorted())
            }
        }

        @Test func deleteRemovesAKeyAPrefixOrAHalfOpenRangeAndNothingElse() async throws {
            try await EtcdTest.withSharedCluster { _, client in
                for key in ["del/d/a", "del/d/b", "del/d/c", "del/d/d", "del/d/e", "del/dx", "del/e/a"] { try await client.put(key, value: Array(key.utf8)) }
                let afterOne = try await client.delete("del/d/a")
                #expect(try await client.range("del/d/", prefix: true).kvs.map(\.key) == ["del/d/b", "del/d/c", "del/d/d", "del/d/e"])
                let afterRange = try await client.deleteRange(from: "del/d/b", to: "del/d/d")
                #expect(afterRange > afterOne)
                #expect(try await client.range("del/d/", prefix: true).kvs.map(\.key) == ["del/d/d", "del/d/e"])
                try await client.delete("del/d/", prefix: true)
                #expect(try await client.range("del/d/", prefix: true).kvs.isEmpty)
                #expect(try await client.range("del/", prefix: true).kvs.map(\.key) == ["del/dx", "del/e/a"])
            }
        }

        @Test func txnRunsTheSuccessBranchWhenComparesHoldAndTheFailureBranchOtherwise() async throws {
            try await EtcdTest.withSharedCluster { _, client in
                let written = try await client.put("t/k", value: Array("v1".utf8))
                let won = try await client.txn(
                    compare: [.modRevision(key: "t/k", equals: written), .version(key: "t/k", equals: 1), .value(key: "t/k", equals: Array("v1".utf8))],
                    success: [.put(key: "t/k", value: Array("v2".utf8)), .range(key: "t/k"), .put(key: "t/other", value: [1])],
                    failure: [.range(key: "t/k")])
                #expect(won.succeeded)
                #expect(won.revision == written + 1)
                #expect(won.ranges.count == 1)
                #expect(won.ranges.first?.kvs.first?.value == Array("v2".utf8))

                let lost = try await client.txn(
                    compare: [.modRevision(key: "t/k", equals: written)],
                    success: [.delete(key: "t/k")],
                    failure: [.range(key: "t/k"), .range(key: "t/none"), .deletePrefix("t/o")])
                #expect(!lost.succeeded)
                #expect(lost.ranges.count == 2)
                #expect(lost.ranges.first?.kvs.first?.modRevision == won.revision)
                #expect(lost.ranges.last?.kvs.isEmpty == true)
                #expect(try await client.range("t/", prefix: true).kvs.map(\.key) == ["t/k"])

                let absent = try await client.txn(compare: [.version(key: "t/new", equals: 0)], success: [.put(key: "t/new", value: [7])])
                #expect(absent.succeeded)
            }
        }

        @Test func twoConcurrentTxnsOnTheSameModRevisionCompareLetExactlyOneWin() async throws {
            try await EtcdTest.withSharedCluster { _, client in
                let written = try await client.put("race/k", value: Array("start".utf8))
                async let left = client.txn(compare: [.modRevision(key: "race/k", equals: written)],
                                            success: [.put(key: "race/k", value: Array("left".utf8))])
                async let right = client.txn(compare: [.modRevision(key: "race/k", equals: written)],
                                             success: [.put(key: "race/k", value: Array("right".utf8))])
                let results = try await [left, right]
                #expect(results.filter(\.succeeded).count == 1)
                let winner = results[0].succeeded ? "left" : "right"
                #expect(try await client.range("race/k").kvs.first?.value == Array(winner.utf8))
            }
        }

        @Test func anEtcdErrorAnswerIsRejectedWithItsGRPCCodeNotRetried() async throws {
            try await EtcdTest.withSharedCluster { _, client in
                do {
                    _ = try await client.txn(compare: [], success: [.put(key: "dup", value: [1]), .put(key: "dup", value: [2])])
                    Issue.record("a transaction writing one key twice was accepted")
                } catch EtcdError.rejected(let code, let message) {
                    #expect(code == 3)
                    #expect(message.contains("duplicate key"))
                } catch {
                    Issue.record("expected a rejection, got \(error)")
                }
            }
        }

        @Test func aLeaseKeptAliveHoldsItsKeyUntilRevoked() async throws {
            try await EtcdTest.withSharedCluster { _, client in
                let lease = try await client.grantLease(ttl: 30)
                #expect(lease != 0)
                try await client.put("l/held", value: [1], lease: lease)
                #expect(try await client.range("l/held").kvs.first?.lease == lease)
                let left = try await client.keepAlive(lease: lease)
                #expect(left > 0 && left <= 30)
                try await client.revokeLease(lease)
                #expect(try await client.range("l/held").kvs.isEmpty)
                #expect(try await client.keepAlive(lease: lease) <= 0)
                try await client.revokeLease(lease)  // already gone: still revoked
            }
        }

        @Test func keepAliveReadsOneAnswerAndLeavesNoConnectionOpen() async throws {
            try await EtcdTest.withSharedCluster { cluster, _ in
                try await EtcdTest.withClient(endpoints: [cluster.clientURLs[1]]) { client in
                    let lease = try await client.grantLease(ttl: 30)
                    let before = try #require(cluster.openDescriptors(1))
                    for _ in 0..<20 { #expect(try await client.keepAlive(lease: lease) > 0) }
                    let settled = await SwitchyardProcess.poll(within: .seconds(5)) { (cluster.openDescriptors(1) ?? .max) <= before + 2 }
                    #expect(settled != nil, "etcd holds \(cluster.openDescriptors(1) ?? -1) descriptors after 20 keepalives, \(before) before")
                }
            }
        }

        @Test func aLeaseNotKeptAliveExpiresAndTakesItsKeyWithIt() async throws {
            try await EtcdTest.withSharedCluster { _, client in
                let lease = try await client.grantLease(ttl: 2)
                let written = try await client.put("x/lease", value: [1], lease: lease)
                let granted = ContinuousClock.now
                let events = try await EtcdTest.events(client.watch(prefix: "x/", fromRevision: written + 1), count: 1, within: .seconds(8))
                let waited = ContinuousClock.now - granted
                #expect(events.map(\.kind) == [.delete])
                #expect(events.first?.kv.key == "x/lease")
                #expect(waited >= .seconds(1), "the lease ended before its two seconds")
                #expect(try await client.range("x/lease").kvs.isEmpty)
                #expect(try await client.keepAlive(lease: lease) <= 0)
            }
        }

        @Test func aWatchSeesPutsAndDeletesInOrderAndResumesWithoutGapsAfterItsConsumerCancels() async throws {
            try await EtcdTest.withSharedCluster { cluster, client in
                // One member only, so the test knows which member serves the watch.
                try await EtcdTest.withClient(endpoints: [cluster.clientURLs[0]]) { watcher in
                    let start = try await client.put("w/a", value: Array("1".utf8))
                    let putB = try await client.put("w/b", value: Array("2".utf8))
                    let deleteA = try await client.delete("w/a")
                    try await client.put("other", value: [0])

                    let first = try await EtcdTest.batches(watcher.watch(prefix: "w/", fromRevision: start), events: 3, within: .seconds(5))
                    let seen = first.flatMap(\.events)
                    #expect(seen.map(\.kind) == [.put, .put, .delete])
                    #expect(seen.map(\.kv.key) == ["w/a", "w/b", "w/a"])
                    #expect(seen.map(\.kv.modRevision) == [start, putB, deleteA])
                    #expect(seen.first?.kv.value == Array("1".utf8))
                    let resume = try #require(first.last).resumeRevision
                    #expect(resume == deleteA + 1)

                    // The consumer is gone: the member stops serving its watch.
                    let closed = await SwitchyardProcess.poll(within: .seconds(5)) { cluster.watcherCount(0) == 0 }
                    #expect(closed != nil, "the canceled watch's HTTP stream stayed open")

                    let putC = try await client.put("w/c", value: Array("3".utf8))
                    let deleteB = try await client.delete("w/b")
                    let second = try await EtcdTest.events(watcher.watch(prefix: "w/", fromRevision: resume), count: 2, within: .seconds(5))
                    #expect(second.map(\.kind) == [.put, .delete])
                    #expect(second.map(\.kv.key) == ["w/c", "w/b"])
                    #expect(second.map(\.kv.modRevision) == [putC, deleteB])

                    // Canceling a consumer that waits for more closes its HTTP stream too.
                    let waiting = Task { for try await _ in watcher.watch(prefix: "w/", fromRevision: deleteB + 1) {} }
                    let opened = await SwitchyardProcess.poll(within: .seconds(5)) { cluster.watcherCount(0) == 1 }
                    #expect(opened != nil, "the member never counted the open watch")
                    waiting.cancel()
                    let gone = await SwitchyardProcess.poll(within: .seconds(5)) { cluster.watcherCount(0) == 0 }
                    #expect(gone != nil, "the canceled watch's HTTP stream stayed open")
                }
            }
        }

        @Test func twentyOpenWatchesOnOneMemberLeaveRoomForCallsAndAllSeeAPut() async throws {
            try await EtcdTest.withSharedCluster { cluster, _ in
                try await EtcdTest.withClient(endpoints: [cluster.clientURLs[0]]) { client in
                    let start = try await client.put("many/start", value: [0])
                    let watches = (0..<20).map { _ in
                        Task { try await EtcdTest.events(client.watch(prefix: "many/", fromRevision: start + 1), count: 1, within: .seconds(10)) }
                    }
                    let opened = await SwitchyardProcess.poll(within: .seconds(5)) { cluster.watcherCount(0) == 20 }
                    #expect(opened != nil, "etcd serves \(cluster.watcherCount(0) ?? -1) of the 20 watches")
                    let written = try await client.put("many/k", value: [1])
                    for watch in watches {
                        #expect(try await watch.value.map(\.kv.modRevision) == [written])
                    }
                }
            }
        }

        @Test func aWatchFromACompactedRevisionThrowsCompacted() async throws {
            try await EtcdTest.withSharedCluster { _, client in
                let old = try await client.put("c/k", value: [1])
                try await client.put("c/k", value: [2])
                let latest = try await client.put("c/k", value: [3])
                try await client.compact(revision: latest)
                let outcome = try await EtcdTest.within(.seconds(5), "the watch from a compacted revision to end") { () -> (any Error)? in
                    do {
                        for try await _ in client.watch(prefix: "c/", fromRevision: old) {}
                        return nil
                    } catch {
                        return error
                    }
                }
                guard case .compacted(let revision)? = outcome as? EtcdError else {
                    Issue.record("expected compacted, got \(String(describing: outcome))")
                    return
                }
                #expect(revision == latest)

                // From the compaction point on, the history is there.
                let events = try await EtcdTest.events(client.watch(prefix: "c/", fromRevision: latest), count: 1, within: .seconds(5))
                #expect(events.map(\.kv.value) == [[3]])
            }
        }

        @Test func memberStatusNamesOneLeaderForAllMembersAndItsRevision() async throws {
            try await EtcdTest.withSharedCluster { cluster, client in
                let written = try await client.put("m/k", value: [1])
                var leaders: Set<UInt64> = []
                var members: Set<UInt64> = []
                for url in cluster.clientURLs {
                    let status = try await client.memberStatus(endpoint: url)
                    leaders.insert(status.leaderID)
                    members.insert(status.memberID)
                    #expect(status.revision >= written)
                }
                #expect(members.count == 3)
                #expect(leaders.count == 1)
                #expect(members.isSuperset(of: leaders) && !leaders.contains(0))
            }
        }
    }
}
