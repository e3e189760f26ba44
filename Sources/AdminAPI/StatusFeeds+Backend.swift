import AdminContract
import Drills
import Foundation
import Synchronization
import Zones

extension StatusFeeds {
    /// At most this many routed names are charted (those answered in the window first):
    /// the page is polled every second and must stay small for a zone of thousands.
    public static let maximumNames = 200

    /// The feeds of a serving backend: every routed name of the zones served, with the
    /// answers per set the query path handed to `answerHistory`, and the drill in
    /// progress (else the newest) from `drills`.
    public static func of(_ backend: AdminBackend) -> StatusFeeds {
        guard let history = backend.answerHistory else {
            return StatusFeeds(names: { _ in [] }, drill: { await backend.drills?.latest() })
        }
        let zones = backend.zones
        let routed = RoutedGroupIndex()
        return StatusFeeds(
            names: { now in names(routed.groups(of: zones), history: history.window(endingAt: now)) },
            drill: { await backend.drills?.latest() },
            windowSeconds: history.windowSeconds, bucketSeconds: history.bucketSeconds)
    }

    static func names(_ groups: [AnswerShareHistory.NameKey: RoutedGroup], history: [AnswerShareHistory.Bucket]) -> [AdminJSON.StatusName] {
        let answered = Set(history.flatMap(\.counts.keys))
        let keys = groups.keys.sorted { a, b in
            let (x, y) = (answered.contains(a), answered.contains(b))
            return x != y ? x : a < b
        }.prefix(maximumNames).sorted()
        return keys.map { key in
            let group = groups[key]!
            return AdminJSON.StatusName(name: key.name, type: key.type, policy: group.policy.rawValue, sets: group.sets.map(\.routing.id),
                                        buckets: history.map { AdminJSON.StatusBucket(start: $0.start, counts: $0.counts[key] ?? [:]) })
        }
    }
}

/// The routed groups of the zones served, by name and type, worked out once per zone
/// version: the page asks every second, and walking every name of a large zone each time
/// would cost more than the page.
final class RoutedGroupIndex: Sendable {
    let cached = Mutex<(generation: UInt64, groups: [AnswerShareHistory.NameKey: RoutedGroup])?>(nil)

    func groups(of store: ZoneStore) -> [AnswerShareHistory.NameKey: RoutedGroup] {
        let generation = store.generation
        if let cached = cached.withLock({ $0 }), cached.generation == generation { return cached.groups }
        var groups: [AnswerShareHistory.NameKey: RoutedGroup] = [:]
        for zone in store.current.zones {
            for node in zone.trie.nodes where node.cut < 0 {
                for group in node.groups where group.policy != .simple || group.sets.count > 1 {
                    groups[AnswerShareHistory.key(of: group)] = group
                }
            }
        }
        cached.withLock { $0 = (generation, groups) }
        return groups
    }
}
