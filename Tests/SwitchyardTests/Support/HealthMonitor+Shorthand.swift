import Foundation
import HealthChecks

/// The tests' shorthand for one forced change through `apply`, as `health down --force`
/// and `health auto` make them.
extension HealthMonitor {
    @discardableResult
    func setOverride(_ id: String, state: HealthOverride.State, duration: TimeInterval?, reason: String?,
                     requestedBy: String?) async throws(HealthChangeError) -> AppliedChange {
        try await apply(HealthChange(checkIDs: [id], action: .set(state, duration: duration), reason: reason,
                                     requestedBy: requestedBy, force: true))
    }

    func clearOverride(_ id: String, requestedBy: String?, reason: String? = nil) async throws(HealthChangeError) {
        try await apply(HealthChange(checkIDs: [id], action: .clear, reason: reason, requestedBy: requestedBy, force: true))
    }
}
