import DNSServer
import Foundation
import Synchronization
import Zones

/// Answers per routed name and set over the last minutes, in fixed buckets, for the
/// status page's charts. Fed once a second by each event loop (`RoutedAnswerLog`), read
/// by `GET /v1/status`.
///
/// Kept per routed group as one flat ring of counts (buckets × sets), keyed by the
/// group's identity: a hand-over adds integers, with no name formatted and nothing copied
/// (it runs on the event loop); names are made when the page reads. Bounded by the
/// groups answered in the window: a group unanswered for a whole window is dropped.
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

    /// One group's counts: `counts[(bucket % bucketCount) * sets + set]`, valid for the
    /// buckets after `newest - bucketCount`.
    struct Series {
        let group: RoutedGroup
        var newest: Int
        /// The group's number of sets.
        let sets: Int
        var counts: [Int32]
    }

    public let bucketSeconds: Int
    public let bucketCount: Int
    struct State {
        var series: [ObjectIdentifier: Series] = [:]
        var prunedAt = 0
    }
    let state = Mutex(State())

    public init(bucketSeconds: Int = 10, window: Int = 300) {
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
        let bucketCount = self.bucketCount
        state.withLock { state in
            for count in counts where count.set >= 0 {
                let id = count.groupIdentity
                // One lookup per count, and the group itself (far in memory from
                // anything else read here) only for a group not seen before.
                var index = state.series.index(forKey: id)
                if index == nil {
                    let sets = count.group.sets.count
                    state.series[id] = Series(group: count.group, newest: number, sets: sets, counts: Array(repeating: 0, count: bucketCount * sets))
                    index = state.series.index(forKey: id)
                }
                guard let index, count.set < state.series.values[index].sets else { continue }
                state.series.values[index].add(count.count, set: count.set, bucket: number, bucketCount: bucketCount)
            }
            // Once a bucket: forget groups unanswered for a whole window (replaced by a
            // reload, or no longer asked), removing only those.
            if number != state.prunedAt {
                state.prunedAt = number
                let stale = state.series.compactMap { $0.value.newest > number - bucketCount ? nil : $0.key }
                for id in stale { state.series.removeValue(forKey: id) }
            }
        }
    }

    /// Every bucket of the window ending at `now`, oldest first (empty buckets included,
    /// so a chart's time axis is even).
    public func window(endingAt now: Date) -> [Bucket] {
        let last = Int(now.timeIntervalSince1970) / bucketSeconds
        let first = last - bucketCount + 1
        var buckets = (first...last).map { Bucket(start: Date(timeIntervalSince1970: TimeInterval($0 * bucketSeconds)), counts: [:]) }
        let series = state.withLock { Array($0.series.values) }
        for entry in series where entry.newest >= first {
            let sets = entry.group.sets.count
            let key = AnswerShareHistory.key(of: entry.group)
            for number in max(first, entry.newest - bucketCount + 1)...min(last, entry.newest) {
                let slot = (number % bucketCount) * sets
                var counts: [String: Int] = [:]
                for set in 0..<sets where entry.counts[slot + set] > 0 {
                    counts[entry.group.sets[set].routing.id, default: 0] += Int(entry.counts[slot + set])
                }
                if !counts.isEmpty { buckets[number - first].counts[key] = counts }
            }
        }
        return buckets
    }
}

extension AnswerShareHistory.Series {
    /// Adds to `bucket`, first clearing the buckets the ring reuses since `newest`.
    mutating func add(_ n: Int, set: Int, bucket: Int, bucketCount: Int) {
        if bucket > newest {
            for stale in (newest + 1)...min(bucket, newest + bucketCount) {
                let slot = (stale % bucketCount) * sets
                for k in 0..<sets { counts[slot + k] = 0 }
            }
            newest = bucket
        } else if bucket <= newest - bucketCount {
            return
        }
        let slot = (bucket % bucketCount) * sets + set
        counts[slot] = counts[slot] &+ Int32(clamping: n)
    }
}
