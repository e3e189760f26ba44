@testable import Drills
import DNSServer
import DNSWire
import Foundation
import Testing
import Zones

/// The answer history's bound: a group unanswered for a whole window leaves the store at
/// the next bucket (a replaced zone's groups, names no longer asked), the others stay;
/// a count for a set the group does not have is ignored.
@Suite struct AnswerShareHistoryBoundTests {
    static let zones = ZoneFixtures.zoneSet("""
        $ORIGIN bound.test.
        $TTL 60
        @ IN SOA ns hostmaster 1 3600 600 86400 60
        @ NS ns
        ns A 192.0.2.53
        one [weighted id=a weight=1] A 192.0.2.1
        one [weighted id=b weight=1] A 192.0.2.2
        two [multivalue id=p] A 192.0.2.3
        two [multivalue id=s] A 192.0.2.4
        """, origin: "bound.test.")

    static func group(_ name: String) throws -> RoutedGroup {
        let zone = try #require(zones.zones.first)
        let node = try #require(zone.trie.find(try DomainName(name, origin: .root)))
        return try #require(zone.trie.nodes[Int(node)].groups.first)
    }

    @Test func aGroupUnansweredForAWindowLeavesTheStore() throws {
        let history = AnswerShareHistory(bucketSeconds: 5, window: 30)
        let one = try Self.group("one.bound.test."), two = try Self.group("two.bound.test.")
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        history.record([RoutedAnswerCount(group: one, set: 0, count: 1), RoutedAnswerCount(group: two, set: 1, count: 1)], at: t0)
        #expect(history.state.withLock { $0.series.count } == 2)
        // Within the window both stay while only `two` is answered.
        history.record([RoutedAnswerCount(group: two, set: 0, count: 1)], at: t0 + 25)
        #expect(history.state.withLock { $0.series.count } == 2)
        // A whole window after its last answer, `one` is gone; `two` stays.
        history.record([RoutedAnswerCount(group: two, set: 0, count: 1)], at: t0 + 31)
        let left = history.state.withLock { Array($0.series.values.map { ObjectIdentifier($0.group) }) }
        #expect(left == [ObjectIdentifier(two)])
    }

    @Test func aCountForASetTheGroupHasNotIsIgnored() throws {
        let history = AnswerShareHistory(bucketSeconds: 5, window: 30)
        let one = try Self.group("one.bound.test.")
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        history.record([RoutedAnswerCount(group: one, set: 2, count: 7), RoutedAnswerCount(group: one, set: 1, count: 1)], at: t0)
        let key = AnswerShareHistory.NameKey(name: "one.bound.test.", type: "A")
        #expect(history.window(endingAt: t0).last?.counts[key] == ["b": 1])
    }
}
