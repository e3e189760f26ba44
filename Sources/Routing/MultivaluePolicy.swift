/// Multivalue answer routing (ROUTE53.md §1.6): up to eight healthy sets at random; when
/// none is healthy, up to eight of all of them.
extension RoutingPlan {
    public static let multivalueLimit = 8

    func selectMultivalue<H: SetHealth, R: RandomNumberGenerator, T: DecisionTrace>(
        health: inout H, random: inout R, trace: inout T
    ) -> Selection {
        guard !members.isEmpty else { return .none }
        // The candidates on the stack (a large group's on the heap): nothing is allocated
        // per answer for a group of ordinary size.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: members.count) { pool in
            var size = 0
            for i in members.indices {
                if healthy(i, &health) {
                    pool[size] = i
                    size += 1
                } else {
                    trace.note(.skippedUnhealthy, sets[i].id, "unhealthy")
                }
            }
            let lastResort = size == 0
            if lastResort {
                for i in members.indices { pool[i] = i }
                size = members.count
            }
            // A partial Fisher–Yates shuffle: a uniform random subset in random order.
            let count = min(RoutingPlan.multivalueLimit, size)
            for k in 0..<count {
                let j = k + Int(random.draw(below: UInt64(size - k)))
                pool.swapAt(k, j)
            }
            for k in 0..<count {
                trace.note(lastResort ? .lastResort : .chosen, sets[pool[k]].id,
                           lastResort ? "no set is healthy: up to 8 of all answer" : "healthy, one of \(count) of \(size)")
            }
            var selection = Selection(pool[0])
            for k in 1..<count { selection.append(pool[k]) }
            return selection
        }
    }
}
