/// Multivalue answer routing (ROUTE53.md §1.6): up to eight healthy sets at random; when
/// none is healthy, up to eight of all of them.
extension RoutingPlan {
    public static let multivalueLimit = 8

    func selectMultivalue<H: SetHealth, R: RandomNumberGenerator, T: DecisionTrace>(
        health: inout H, random: inout R, trace: inout T
    ) -> Selection {
        var pool: [Int] = []
        pool.reserveCapacity(sets.count)
        for i in sets.indices {
            if health.isHealthy(i) { pool.append(i) } else { trace.note(.skippedUnhealthy, sets[i].id, "unhealthy") }
        }
        let lastResort = pool.isEmpty
        if lastResort { pool = Array(sets.indices) }
        guard !pool.isEmpty else { return .none }
        // A partial Fisher–Yates shuffle: a uniform random subset in random order.
        let count = min(RoutingPlan.multivalueLimit, pool.count)
        for k in 0..<count {
            let j = k + Int(random.next(upperBound: UInt64(pool.count - k)))
            pool.swapAt(k, j)
        }
        for k in 0..<count {
            trace.note(lastResort ? .lastResort : .chosen, sets[pool[k]].id,
                       lastResort ? "no set is healthy: up to 8 of all answer" : "healthy, one of \(count) of \(pool.count)")
        }
        return Selection(pool[0], others: Array(pool[1..<count]))
    }
}
