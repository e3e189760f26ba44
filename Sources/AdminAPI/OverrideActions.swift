import Authority
import DNSWire
import Foundation
import HealthChecks
import Hummingbird
import Routing
import Zones

/// Reads and checks an override request body, naming the field at fault.
enum OverrideRequestParser {
    static func decode(_ request: Request, context: BasicRequestContext, allowEmpty: Bool = false) async throws -> AdminJSON.OverrideRequest {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        if buffer.readableBytes == 0 {
            guard allowEmpty else { throw AdminError.badRequest("the request needs a JSON body with \"state\"", field: "state") }
            return AdminJSON.OverrideRequest()
        }
        do {
            return try JSONDecoder().decode(AdminJSON.OverrideRequest.self, from: Data(buffer.readableBytesView))
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw AdminError.badRequest("field '\(field)' has the wrong type", field: field)
        } catch {
            throw AdminError.badRequest("the body is not valid JSON", field: "body")
        }
    }

    static func state(_ body: AdminJSON.OverrideRequest) throws -> HealthOverride.State {
        guard let text = body.state else { throw AdminError.badRequest("'state' is required: \"up\" or \"down\"", field: "state") }
        guard let state = HealthOverride.State(rawValue: text.lowercased()) else {
            throw AdminError.badRequest("'state' must be \"up\" or \"down\", not \"\(text)\"", field: "state")
        }
        return state
    }

    static func duration(_ body: AdminJSON.OverrideRequest) throws -> TimeInterval? {
        guard let text = body.for else { return nil }
        guard let seconds = TimeValue.parse(text), seconds > 0 else {
            throw AdminError.badRequest("'for' must be a duration such as 90s, 15m or 1h30m, not \"\(text)\"", field: "for")
        }
        return TimeInterval(seconds)
    }
}

/// Setting and clearing overrides, with SPEC §5's refusal of a change that would leave a
/// routed name with no healthy set unless forced.
enum OverrideActions {
    static func requester(_ given: String?, context: BasicRequestContext) -> String {
        if let given, !given.isEmpty { return given }
        return "admin API"
    }

    static func set(_ ids: [String], state: HealthOverride.State, body: AdminJSON.OverrideRequest, backend: AdminBackend,
                    request: Request, context: BasicRequestContext) async throws -> [AdminJSON.HealthCheck] {
        let duration = try OverrideRequestParser.duration(body)
        for id in ids where await backend.monitor.status(of: id) == nil {
            throw AdminError.notFound("no health check '\(id)'")
        }
        if state == .down && body.force != true {
            let before = FixedHealth(await backend.monitor.effectiveStates())
            let after = FixedHealth(await backend.monitor.effectiveStates(with: Dictionary(uniqueKeysWithValues: ids.map { ($0, .down) })))
            let names = HealthImpact.namesLosingEveryHealthySet(zones: backend.zones.current, before: before, after: after)
            if !names.isEmpty {
                throw AdminError.conflict("marking \(ids.joined(separator: ", ")) down would leave these names with no healthy record set: \(names.joined(separator: ", ")); repeat with force to do it anyway", names: names)
            }
        }
        let by = requester(body.requestedBy, context: context)
        var result: [AdminJSON.HealthCheck] = []
        for id in ids {
            do {
                try await backend.monitor.setOverride(id, state: state, duration: duration, reason: body.reason, requestedBy: by)
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
