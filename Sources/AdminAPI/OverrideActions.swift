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

/// Setting and clearing overrides, with SPEC §5's refusal of a change that would leave a
/// routed name with no healthy set unless forced.
enum OverrideActions {
    static func requester(_ given: String?) -> String {
        if let given, !given.isEmpty { return given }
        return "admin API"
    }

    static func set(_ ids: [String], state: HealthOverride.State, intent: AdminOverrideIntent,
                    backend: AdminBackend) async throws -> [AdminJSON.HealthCheck] {
        let duration = intent.duration
        for id in ids where await backend.monitor.status(of: id) == nil {
            throw AdminError.notFound("no health check '\(id)'")
        }
        if state == .down && !intent.force {
            let before = FixedHealth(await backend.monitor.effectiveStates())
            let after = FixedHealth(await backend.monitor.effectiveStates(with: Dictionary(uniqueKeysWithValues: ids.map { ($0, .down) })))
            let names = HealthImpact.namesLosingEveryHealthySet(zones: backend.zones.current, before: before, after: after)
            if !names.isEmpty {
                throw AdminError.conflict("marking \(ids.joined(separator: ", ")) down would leave these names with no healthy record set: \(names.joined(separator: ", ")); repeat with force to do it anyway", names: names)
            }
        }
        let by = requester(intent.requestedBy)
        var result: [AdminJSON.HealthCheck] = []
        for id in ids {
            do {
                try await backend.monitor.setOverride(id, state: state, duration: duration, reason: intent.reason, requestedBy: by)
            } catch .unknownCheck(let id) {
                throw AdminError.notFound("no health check '\(id)'")
            } catch .state(let error) {
                throw AdminError(status: .internalServerError, problem: .init(error: "cannot save the override: \(error)"))
            }
            if let status = await backend.monitor.status(of: id) { result.append(HealthCheckJSON.make(status, history: false)) }
        }
        return result
    }

    static func clear(_ ids: [String], backend: AdminBackend, requestedBy: String) async throws {
        for id in ids {
            do {
                try await backend.monitor.clearOverride(id, requestedBy: requestedBy)
            } catch .unknownCheck(let id) {
                throw AdminError.notFound("no health check '\(id)'")
            } catch .state(let error) {
                throw AdminError(status: .internalServerError, problem: .init(error: "cannot save the override: \(error)"))
            }
        }
    }
}
