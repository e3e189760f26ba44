/// How one health check's observations from several vantages (the probing instances of a
/// fleet, SPEC §6) combine into one observed state, set per check with `vantages=`.
/// Only vantages that have reported the check count ("live" vantages); a check nobody has
/// reported yet is healthy, like a new check.
public enum VantageRule: String, Sendable, Hashable, CaseIterable {
    /// Healthy when more than half of the live vantages see it healthy.
    case quorum
    /// Route 53's rule: healthy when more than 18% of the checkers see it healthy
    /// (ROUTE53.md §4.1).
    case route53
    /// Healthy only when every live vantage sees it healthy.
    case all
    /// Healthy when at least one live vantage sees it healthy.
    case any

    /// `healthy` of `total` live vantages see the target healthy.
    public func isHealthy(healthy: Int, total: Int) -> Bool {
        guard total > 0 else { return true }
        switch self {
        case .quorum: return healthy * 2 > total
        case .route53: return healthy * 100 > total * 18
        case .all: return healthy == total
        case .any: return healthy > 0
        }
    }
}
