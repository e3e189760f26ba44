import DNSServer
import Foundation
import Synchronization
import Zones

/// Answers per routed name and set over the last minutes, in fixed buckets, for the
/// status page's charts. Fed once a second by each event loop (`RoutedAnswerLog`), read
/// by `GET /v1/status`; bounded by the window and by the zones' routed sets.
public final class AnswerShareHistory: Sendable {
    /// A routed name and type as the page shows it ("ALIAS" for a group of every type).
    public struct NameKey: Hashable, Sendable, Comparable {
        public var name: String
        public var type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }

        public static func < (a: NameKey, b: NameKey) -> Bool { (a.name, a.type) < (b.name, b.type) }
    }

    /// One bucket: its start and the answers per name and set in it.
    public struct Bucket: Sendable {
        public var start: Date
        public var counts: [NameKey: [String: Int]]
    }

    public let bucketSeconds: Int
    public let bucketCount: Int
    /// Bucket number (seconds since 1970 / bucketSeconds) → counts; at most `bucketCount`.
    let buckets = Mutex<[Int: [NameKey: [String: Int]]]>([:])

    public init(bucketSeconds: Int = 5, window: Int = 300) {
        self.bucketSeconds = max(1, bucketSeconds)
        self.bucketCount = max(1, window / max(1, bucketSeconds))
    }

    public var windowSeconds: Int { bucketSeconds * bucketCount }

    /// The group's name and type as the page shows them.
    public static func key(of group: RoutedGroup) -> NameKey {
        NameKey(name: group.owner.description, type: group.type?.mnemonic ?? "ALIAS")
    }

    public func record(_ counts: [RoutedAnswerCount], at date: Date) {
        guard !counts.isEmpty else { return }
        let number = Int(date.timeIntervalSince1970) / bucketSeconds
        var named: [NameKey: [String: Int]] = [:]
        for count in counts where count.set >= 0 && count.set < count.group.sets.count {
            named[AnswerShareHistory.key(of: count.group), default: [:]][count.group.sets[count.set].routing.id, default: 0] += count.count
        }
        buckets.withLock { buckets in
            for (key, sets) in named {
                for (set, n) in sets { buckets[number, default: [:]][key, default: [:]][set, default: 0] += n }
            }
            buckets = buckets.filter { $0.key > number - bucketCount }
        }
    }

    /// Every bucket of the window ending at `now`, oldest first (empty buckets included,
    /// so a chart's time axis is even).
    public func window(endingAt now: Date) -> [Bucket] {
        let last = Int(now.timeIntervalSince1970) / bucketSeconds
        let stored = buckets.withLock { $0 }
        return ((last - bucketCount + 1)...last).map { number in
            Bucket(start: Date(timeIntervalSince1970: TimeInterval(number * bucketSeconds)), counts: stored[number] ?? [:])
        }
    }
}
