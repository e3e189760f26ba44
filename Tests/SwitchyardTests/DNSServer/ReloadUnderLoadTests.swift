import DNSWire
import Foundation
import NIOConcurrencyHelpers
import Testing
import Zones
import ZoneSources

/// SPEC §5: no query is lost or answered from a mix of old and new data while the zones
/// are reloaded again and again.
@Suite struct ReloadUnderLoadTests {
    /// Version `n` of the zone: `alias` → `t<n>` → 192.0.2.<n>, serial n. A response mixing
    /// versions would pair one version's CNAME with another's address, or end in NXDOMAIN.
    static func zone(version n: Int) -> String {
        """
        $ORIGIN load.test.
        $TTL 60
        @      IN SOA ns hostmaster \(n) 3600 900 1209600 60
        @      IN NS  ns
        ns     IN A   127.0.0.1
        alias  IN CNAME t\(n)
        t\(n)  IN A   192.0.2.\(n)
        """
    }

    struct Outcome: Sendable {
        var answered = 0
        var versions: Set<Int> = []
        var problems: [String] = []
    }

    /// Asks `alias.load.test. A` `count` times and checks that every answer is whole: one
    /// version's CNAME with the same version's address.
    static func askRepeatedly(port: Int, count: Int) -> Outcome {
        var outcome = Outcome()
        let client = DNSTestClient(host: "127.0.0.1", port: port)
        for i in 0..<count {
            guard let reply = try? client.udp(Message.query(id: UInt16(i & 0xFFFF), name: "alias.load.test.", type: .a)) else {
                outcome.problems.append("query \(i) got no answer")
                continue
            }
            outcome.answered += 1
            let records = reply.answers.map { $0.rdata.presentation }
            guard reply.responseCode == .noError, records.count == 2,
                  let target = records.first, target.hasPrefix("t"), let n = Int(target.dropFirst().prefix { $0.isNumber }),
                  records[1] == "192.0.2.\(n)" else {
                outcome.problems.append("query \(i): mixed or broken answer \(reply.responseCode) \(records)")
                continue
            }
            outcome.versions.insert(n)
        }
        return outcome
    }

    @Test func queriesDuringRepeatedReloadsGetWholeAnswers() async throws {
        let folder = try TemporaryFolder(prefix: "load")
        defer { folder.remove() }
        let file = folder.file("load.test.zone")
        try Self.zone(version: 1).write(to: file, atomically: true, encoding: .utf8)
        let store = ZoneStore(ZoneSet.empty)
        let reloader = ZoneReloader.folder(folder.url.path, store: store)
        await reloader.reload()
        let live = try await LiveServer(store: store)
        let port = live.udpPort

        // The query loop runs on a thread of its own (its blocking socket calls must not
        // hold a thread of the concurrency pool that the reloads below need): 2,000
        // queries, one at a time, each with a 2 s timeout, so it is bounded in count and time.
        let queries = 2000
        let finished = NIOLockedValueBox(false)
        // Started here, not from a task: it must run even while every thread of the
        // concurrency pool is busy.
        let (results, delivered) = AsyncStream.makeStream(of: Outcome.self)
        Thread {
            let outcome = Self.askRepeatedly(port: port, count: queries)
            finished.withLockedValue { $0 = true }
            delivered.yield(outcome)
            delivered.finish()
        }.start()
        // Meanwhile reload, alternating versions with a broken file every fifth time, until
        // the query loop is done (at most 2,000 rounds).
        var rounds = 0
        var outcomes: [String: Int] = [:]
        while rounds < 2000 {
            let text = rounds % 5 == 4 ? Self.zone(version: 9) + "\nbroken IN A 1.2.3\n" : Self.zone(version: 2 + rounds % 3)
            try text.write(to: file, atomically: true, encoding: .utf8)
            for result in await reloader.reload() { outcomes[result.outcome.rawValue, default: 0] += 1 }
            rounds += 1
            if rounds >= 10 && finished.withLockedValue({ $0 }) { break }
        }
        var iterator = results.makeAsyncIterator()
        guard let result = await iterator.next() else { return }
        #expect(result.problems.isEmpty, "\(result.problems.prefix(5))")
        #expect(result.answered == queries)
        // The broken version 9 was never served.
        #expect(!result.versions.contains(9))
        // Reloads really happened while the queries ran: answers came from several versions.
        #expect(result.versions.count >= 2, "versions seen: \(result.versions), reloads: \(rounds) \(outcomes)")
        try await live.stop()
    }
}
