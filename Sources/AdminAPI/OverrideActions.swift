import AdminContract
import Authority
import DNSWire
import Foundation
import HealthChecks
import Hummingbird
import Routing
import Zones

/// Reads an override request body and hands it to `AdminRequestDecoder`.
enum OverrideRequestParser {
    static func decode(_ request: Request, allowEmpty: Bool) async throws -> AdminOverrideIntent {
        var request = request
        let buffer = try await request.collectBody(upTo: AdminRequestDecoder.maxBodySize)
        do {
            return try AdminRequestDecoder.decodeOverride(body: Array(buffer.readableBytesView), contentType: request.headers[.contentType],
                                                          allowEmpty: allowEmpty)
        } catch {
            throw AdminError(error)
        }
    }
}

/// Setting and clearing overrides: each request is one `HealthChange`, which the monitor
/// checks against SPEC §5's safety rule, persists in one write and publishes at once.
enum OverrideActions {
    static func requester(_ given: String?) -> String {
        if let given, !given.isEmpty { return given }
        return "admin API"
    }

    /// The names a change would leave with no healthy set, over the served zones.
    static func safetyRule(zones: ZoneStore) -> HealthSafetyRule {
        { before, after in
            HealthImpact.namesLosingEveryHealthySet(zones: zones.current, before: FixedHealth(before), after: FixedHealth(after))
        }
    }

    static func set(_ ids: [String], state: HealthOverride.State, intent: AdminOverrideIntent,
                    backend: AdminBackend) async throws -> AppliedChange {
        try await apply(HealthChange(checkIDs: ids, action: .set(state, duration: intent.duration), reason: intent.reason,
                                     requestedBy: requester(intent.requestedBy), force: intent.force), backend: backend)
    }

    static func clear(_ ids: [String], backend: AdminBackend, requestedBy: String) async throws -> AppliedChange {
        try await apply(HealthChange(checkIDs: ids, action: .clear, requestedBy: requestedBy, force: true), backend: backend)
    }

    static func apply(_ change: HealthChange, backend: AdminBackend) async throws -> AppliedChange {
        do {
            return try await backend.monitor.apply(change)
        } catch {
            throw AdminError(error)
        }
    }
}

extension AdminError {
    init(_ error: HealthChangeError) {
        switch error {
        case .unknownCheck:
            self = .notFound(error.description)
        case .unsafe(_, let names):
            self = .conflict(error.description, names: names)
        case .unavailable(let cluster, _):
            self.init(status: .serviceUnavailable, problem: .init(error: error.description, cluster: cluster))
        case .state:
            self.init(status: .internalServerError, problem: .init(error: error.description))
        case .drillRunning:
            self.init(status: .conflict, problem: .init(error: error.description, field: "name"))
        }
    }
}
