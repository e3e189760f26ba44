/// Latency routing (ROUTE53.md §1.3): the healthy region with the lowest latency for the
/// client; when all are unhealthy, the lowest-latency one. Regions the locator cannot rank
/// (an unlocated client) keep the zone file's order, after the ranked ones.
extension RoutingPlan {
    func selectLatency<H: SetHealth, T: DecisionTrace>(client: inout ClientView, health: inout H, trace: inout T) -> Selection {
        withUnsafeTemporaryAllocation(of: Double?.self, capacity: members.count) { ranks in
            client.rankLatencies(to: latencyRegions, into: ranks)
            var best = -1
            var bestHealthy = -1
            for i in members.indices {
                if best < 0 || RoutingPlan.closer(ranks[i], i, than: ranks[best], best) { best = i }
                if healthy(i, &health) {
                    if bestHealthy < 0 || RoutingPlan.closer(ranks[i], i, than: ranks[bestHealthy], bestHealthy) { bestHealthy = i }
                } else {
                    trace.note(.skippedUnhealthy, sets[i].id, "\(latencyRegions.names[i]) is unhealthy")
                }
            }
            // The ranks only order the regions: a trace says the latencies themselves.
            let latencies = trace.isEnabled ? client.latencies(to: latencyRegions) : []
            if trace.isEnabled {
                for i in members.indices where i != bestHealthy && healthy(i, &health) {
                    trace.note(.considered, sets[i].id, "\(latencyRegions.names[i]) at \(RoutingPlan.describe(latencies[i]))")
                }
            }
            if bestHealthy >= 0 {
                if trace.isEnabled {
                    trace.note(.chosen, sets[bestHealthy].id, "\(latencyRegions.names[bestHealthy]) is the closest healthy region at \(RoutingPlan.describe(latencies[bestHealthy]))")
                }
                return Selection(bestHealthy)
            }
            guard best >= 0 else { return .none }
            trace.note(.lastResort, sets[best].id, "every region is unhealthy: \(latencyRegions.names[best]) is the closest")
            return Selection(best)
        }
    }

    @inline(__always)
    static func closer(_ a: Double?, _ ai: Int, than b: Double?, _ bi: Int) -> Bool {
        switch (a, b) {
        case let (x?, y?): return x < y || (x == y && ai < bi)
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return ai < bi
        }
    }

    static func describe(_ latency: Double?) -> String {
        guard let latency else { return "unknown latency" }
        return "\(Int(latency.rounded())) ms"
    }
}
