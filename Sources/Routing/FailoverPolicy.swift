/// Failover routing (ROUTE53.md §1.5): the primary while healthy; else the secondary when
/// it is healthy (a secondary without a check always is); else the primary.
extension RoutingPlan {
    func selectFailover<H: SetHealth, T: DecisionTrace>(health: inout H, trace: inout T) -> Selection {
        if primary >= 0 {
            if healthy(primary, &health) {
                trace.note(.chosen, sets[primary].id, "primary is healthy")
                return Selection(primary)
            }
            trace.note(.skippedUnhealthy, sets[primary].id, "primary is unhealthy")
        }
        if secondary >= 0 {
            if healthy(secondary, &health) {
                trace.note(.chosen, sets[secondary].id, "secondary is healthy")
                return Selection(secondary)
            }
            trace.note(.skippedUnhealthy, sets[secondary].id, "secondary is unhealthy")
        }
        if primary >= 0 {
            trace.note(.lastResort, sets[primary].id, "both unhealthy: the primary answers")
            return Selection(primary)
        }
        if secondary >= 0 {
            trace.note(.lastResort, sets[secondary].id, "only a secondary, unhealthy: it answers")
            return Selection(secondary)
        }
        return .none
    }
}
