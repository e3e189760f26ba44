import Foundation
import HealthChecks

/// What an override request body asks for, checked: the state (nil only where the route
/// implies it and the body may be empty), how long, and who asks why.
public struct AdminOverrideIntent: Sendable, Equatable {
    public var state: HealthOverride.State?
    public var duration: TimeInterval?
    public var reason: String?
    public var force: Bool
    public var requestedBy: String?
}

/// Decodes override request bodies from bytes, with no HTTP machinery, so that the
/// decoding can be tested and fuzzed on its own. Errors name the field at fault.
public enum AdminRequestDecoder {
    /// Decodes and checks an override body. `allowEmpty` is for routes whose body is
    /// optional (region evacuate and restore): an empty body then means "no options".
    public static func decodeOverride(body: [UInt8], contentType: String?, allowEmpty: Bool) throws -> AdminOverrideIntent {
        if body.isEmpty {
            guard allowEmpty else { throw AdminError.badRequest("the request needs a JSON body with \"state\"", field: "state") }
            return AdminOverrideIntent(force: false)
        }
        if let contentType, !isJSON(contentType) {
            throw AdminError(status: .unsupportedMediaType, problem: .init(error: "the body must be application/json, not \(contentType)", field: "Content-Type"))
        }
        let request: AdminJSON.OverrideRequest
        do {
            request = try JSONDecoder().decode(AdminJSON.OverrideRequest.self, from: Data(body))
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw AdminError.badRequest("field '\(field)' has the wrong type", field: field)
        } catch {
            throw AdminError.badRequest("the body is not valid JSON", field: "body")
        }
        let state = allowEmpty && request.state == nil ? nil : try OverrideRequestParser.state(request)
        return AdminOverrideIntent(state: state, duration: try OverrideRequestParser.duration(request), reason: request.reason,
                                   force: request.force ?? false, requestedBy: request.requestedBy)
    }

    /// `application/json`, in any case, with or without parameters.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
