/// Weighted routing (ROUTE53.md §1.2): a set with probability weight ÷ total of the
/// healthy weights; weight-0 sets only when every non-zero set is unhealthy; all-zero
/// groups spread evenly; when every set is unhealthy, the non-zero sets answer (last
/// resort, zero weights still excluded, §10 item 2).
extension RoutingPlan {
    func selectWeighted<H: SetHealth, R: RandomNumberGenerator, T: DecisionTrace>(
        health: inout H, random: inout R, trace: inout T
    ) -> Selection {
        var nonZeroHealthy: UInt64 = 0
        var zeroHealthy = 0
        var anyNonZero = false
        for i in members.indices {
            let healthy = healthy(i, &health)
            let weight = members[i].weight
            if weight > 0 {
                anyNonZero = true
                if healthy { nonZeroHealthy += UInt64(weight) }
            } else if healthy {
                zeroHealthy += 1
            }
            if !healthy { trace.note(.skippedUnhealthy, sets[i].id, "weight \(weight), unhealthy") }
        }
        if nonZeroHealthy > 0 {
            return pickByWeight(total: nonZeroHealthy, health: &health, random: &random, trace: &trace, onlyHealthy: true)
        }
        if zeroHealthy > 0 {
            // Weight 0 sets share evenly once every non-zero set is down (or all are 0).
            var n = Int(random.draw(below: UInt64(zeroHealthy)))
            for i in members.indices where members[i].weight == 0 && healthy(i, &health) {
                if n == 0 {
                    trace.note(.chosen, sets[i].id, anyNonZero ? "weight 0, chosen because every non-zero set is unhealthy" : "every weight is 0: chosen evenly among \(zeroHealthy)")
                    return Selection(i)
                }
                n -= 1
            }
        }
        // Last resort: everything is unhealthy.
        if anyNonZero {
            let total = members.reduce(UInt64(0)) { $0 + UInt64($1.weight) }
            return pickByWeight(total: total, health: &health, random: &random, trace: &trace, onlyHealthy: false)
        }
        let i = Int(random.draw(below: UInt64(members.count)))
        trace.note(.lastResort, sets[i].id, "every set is unhealthy and every weight is 0: chosen evenly")
        return Selection(i)
    }

    func pickByWeight<H: SetHealth, R: RandomNumberGenerator, T: DecisionTrace>(
        total: UInt64, health: inout H, random: inout R, trace: inout T, onlyHealthy: Bool
    ) -> Selection {
        var r = random.draw(below: total)
        for i in members.indices where members[i].weight > 0 && (!onlyHealthy || healthy(i, &health)) {
            let w = UInt64(members[i].weight)
            if r < w {
                if onlyHealthy {
                    trace.note(.chosen, sets[i].id, "weight \(w) of \(total) healthy")
                } else {
                    trace.note(.lastResort, sets[i].id, "every set is unhealthy: weight \(w) of \(total), zero weights excluded")
                }
                return Selection(i)
            }
            r -= w
        }
        return .none
    }
}
