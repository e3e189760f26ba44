import DNSWire
import Routing

/// How often one client is answered from each routed set for one question: the
/// `Response.routedSetKey` of `Authority`'s answers over the random grid of
/// `AnswerDistribution` (`GridRandom`), as counts out of `samples`. A nil key is an
/// answer no routed set gave.
///
/// Asking all 12,600 grid points costs about 25 ms a question, too slow for a thousand
/// names, so:
/// - an answer that drew nothing holds for the whole grid (one ask);
/// - a weighted group that draws once, for its own decision (`draw(below:)`;
///   Lemire's method redraws only inside a rejection zone the grid's midpoints avoid):
///   the set is a step function of that draw, and the draw grows with the grid index, so
///   each set holds one run of the grid: bisection finds the runs' edges in
///   O(sets · log samples) asks and gives the full grid's counts exactly. A key seen in
///   two runs breaks that premise, and the full grid is asked instead;
/// - a multivalue answer of fewer sets than `RoutingPlan.multivalueLimit`, drawing no
///   more than it chose, took every candidate the walk offered (healthy sets, or all of
///   them as a last resort), so the draws only ordered them and every point of the grid
///   gives the same set: one ask;
/// - a draw beyond the owner's own comes from an ALIAS target, whose choice is part of
///   the key: the full grid for a weighted owner (rare: a weighted ALIAS to a random
///   target);
/// - otherwise (a multivalue answer of eight sets, whose draws are several and not
///   monotone) the grid is asked at `fallbackSamples` points, itself a multiple of every
///   total up to 10: the subsets of more than eight sets are sampled, as the full grid
///   also samples them.
struct RoutedSetTally {
    /// Counts per key, in order of first appearance; they add up to `samples`.
    var counts: [(key: String?, count: Int)]
    var samples: Int

    static let fallbackSamples = 2_520

    static func tally(_ question: Question, client: ClientContext, authority: Authority, snapshot: Authority.Snapshot,
                      samples: Int = AnswerDistribution.standardSamples) -> RoutedSetTally {
        let probe = Probe(question: question, client: client, authority: authority, snapshot: snapshot, samples: samples)
        let (first, draws, policy, chosen) = probe.ask(0)
        if draws == 0 || (policy == .multivalue && chosen < RoutingPlan.multivalueLimit && draws <= chosen) {
            return RoutedSetTally(counts: [(first, samples)], samples: samples)
        }
        if policy == .weighted, draws == 1, let runs = probe.bisect(first: first) { return runs }
        return probe.grid(policy == .weighted ? samples : min(samples, fallbackSamples))
    }

    /// The share of each key, as a fraction.
    var fractions: [(key: String?, fraction: Double)] {
        counts.map { ($0.key, Double($0.count) / Double(samples)) }
    }

    /// Asks one grid point at a time.
    struct Probe {
        let question: Question
        let client: ClientContext
        let authority: Authority
        let snapshot: Authority.Snapshot
        let samples: Int

        func ask(_ sample: Int, of total: Int? = nil) -> (key: String?, draws: Int, policy: RoutingPolicy?, chosen: Int) {
            var random = GridRandom(sample: sample, of: total ?? samples)
            let response = authority.answer(question, client: client, snapshot: snapshot, random: &random)
            return (response.routedSetKey, random.draws, response.routedGroup?.policy, response.routedSelection.count)
        }

        /// The runs of the step function, or nil when a key shows up in two runs.
        func bisect(first: String?) -> RoutedSetTally? {
            let last = ask(samples - 1).key
            // (from, to): keys known at both ends; every point in from..<to is counted here.
            var pending: [(from: Int, fromKey: String?, to: Int, toKey: String?)] = [(0, first, samples - 1, last)]
            var edges: [(start: Int, key: String?)] = []
            while let segment = pending.popLast() {
                if segment.fromKey == segment.toKey || segment.to - segment.from == 1 {
                    edges.append((segment.from, segment.fromKey))
                    continue
                }
                let mid = (segment.from + segment.to) / 2
                let key = ask(mid).key
                // Last in, first out: the left half is taken first, so edges come in order.
                pending.append((mid, key, segment.to, segment.toKey))
                pending.append((segment.from, segment.fromKey, mid, key))
            }
            edges.append((samples - 1, last))
            var counts: [(key: String?, count: Int)] = []
            for (i, edge) in edges.enumerated() {
                let length = i + 1 < edges.count ? edges[i + 1].start - edge.start : 1
                if let at = counts.indices.last, counts[at].key == edge.key {
                    counts[at].count += length
                } else {
                    if counts.contains(where: { $0.key == edge.key }) { return nil }
                    counts.append((edge.key, length))
                }
            }
            return RoutedSetTally(counts: counts, samples: samples)
        }

        func grid(_ points: Int) -> RoutedSetTally {
            var counts: [(key: String?, count: Int)] = []
            for sample in 0..<points {
                let key = ask(sample, of: points).key
                if let i = counts.firstIndex(where: { $0.key == key }) { counts[i].count += 1 } else { counts.append((key, 1)) }
            }
            return RoutedSetTally(counts: counts, samples: points)
        }
    }
}
