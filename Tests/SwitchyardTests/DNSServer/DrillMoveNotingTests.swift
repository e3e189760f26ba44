import DNSServer
import DNSWire
import Foundation
import HealthChecks
import Synchronization
import Testing
import Zones

/// The query path's part of a drill (SPEC §8): while a drill's overrides apply, the first
/// answer per routed name that differs from the answer without them is noted, once per
/// name, with the sets and the replaced answer's TTL; plain answers and names the drill
/// does not move are not.
@Suite struct DrillMoveNotingTests {
    static let zone = """
        $ORIGIN moves.test.
        $TTL 300
        @   IN SOA ns hostmaster 1 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        $HEALTHCHECK p tcp://127.0.0.1:9 region=us-east-1
        $HEALTHCHECK s tcp://127.0.0.1:9 region=eu-west-1
        app [failover id=primary role=primary health=p]   45 IN A 192.0.2.1
        app [failover id=standby role=secondary health=s] 45 IN A 192.0.2.2
        calm [weighted id=one weight=1] 60 IN A 192.0.2.10
        calm [weighted id=two weight=1] 60 IN A 192.0.2.11
        plain IN A 192.0.2.20
        """

    /// Hands each flush to the test as it comes.
    final class Collector: AnswerObserver {
        let flushes: AsyncStream<([RoutedAnswerCount], [DrillMoveNote])>
        let continuation: AsyncStream<([RoutedAnswerCount], [DrillMoveNote])>.Continuation

        init() { (flushes, continuation) = AsyncStream.makeStream() }

        func absorb(_ counts: [RoutedAnswerCount], moves: [DrillMoveNote]) { continuation.yield((counts, moves)) }
    }

    /// Waits (bounded) for the next hand-over from the server's event loop.
    static func nextFlush(_ collector: Collector) async throws -> ([RoutedAnswerCount], [DrillMoveNote]) {
        try await withThrowingTaskGroup(of: ([RoutedAnswerCount], [DrillMoveNote])?.self) { group in
            group.addTask {
                var iterator = collector.flushes.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try await Task.sleep(for: .seconds(5))
                return nil
            }
            defer { group.cancelAll() }
            return try #require(try await group.next() ?? nil, "no hand-over within 5 s")
        }
    }

    static func ask(_ live: LiveServer, _ name: DomainName, id: UInt16) async throws -> [String] {
        let client = live.client()
        let reply: Message? = await onOwnThread { try? client.udp(Message.query(id: id, name: name, type: .a)) }
        return try #require(reply).answers.map(\.rdata.presentation)
    }

    @Test func firstMovedAnswerPerNameIsNotedOnceWithItsSetsAndTTL() async throws {
        let health = HealthStore()
        let collector = Collector()
        let live = try await LiveServer(zones: ZoneFixtures.zoneSet(Self.zone, origin: "moves.test."), health: health, observer: collector)
        do { try await Self.drive(live, health: health, collector: collector) } catch {
            try await live.stop()
            throw error
        }
        try await live.stop()
    }

    static func drive(_ live: LiveServer, health: HealthStore, collector: Collector) async throws {

        // Before any drill: answers are counted per set, and nothing is noted as moved.
        #expect(try await Self.ask(live, "app.moves.test.", id: 1) == ["192.0.2.1"])
        let (counts, moves) = try await Self.nextFlush(collector)
        #expect(counts.contains { $0.group.owner == "app.moves.test." && $0.group.sets[$0.set].routing.id == "primary" && $0.count == 1 })
        #expect(moves.isEmpty)

        // The drill takes p down; without it p is healthy.
        health.publish(HealthSnapshot(effective: ["p": false, "s": true], drill: ("evac-1", ["p": true, "s": true])))
        #expect(try await Self.ask(live, "app.moves.test.", id: 2) == ["192.0.2.2"])
        #expect(try await Self.ask(live, "app.moves.test.", id: 3) == ["192.0.2.2"])
        _ = try await Self.ask(live, "calm.moves.test.", id: 4)
        _ = try await Self.ask(live, "plain.moves.test.", id: 5)
        let (during, noted) = try await Self.nextFlush(collector)
        #expect(noted.count == 1, "one move for app, none for calm or plain: \(noted.map { "\($0.group.owner)" })")
        let move = try #require(noted.first)
        #expect(move.drill == "evac-1")
        #expect(move.group.owner == "app.moves.test.")
        #expect(move.type == RecordType.a.rawValue)
        #expect(move.from == "primary" && move.to == "standby")
        #expect(move.ttl == 45)
        #expect(abs(move.at.timeIntervalSinceNow) < 5)
        #expect(during.contains { $0.group.owner == "app.moves.test." && $0.group.sets[$0.set].routing.id == "standby" && $0.count == 2 })

        // Still the same drill: app is not replayed or noted again.
        _ = try await Self.ask(live, "app.moves.test.", id: 6)
        let (_, again) = try await Self.nextFlush(collector)
        #expect(again.isEmpty)

        // Another drill starts over.
        health.publish(HealthSnapshot(effective: ["p": false, "s": true], drill: ("evac-2", ["p": true, "s": true])))
        _ = try await Self.ask(live, "app.moves.test.", id: 7)
        let (_, second) = try await Self.nextFlush(collector)
        #expect(second.map(\.drill) == ["evac-2"])
    }
}
