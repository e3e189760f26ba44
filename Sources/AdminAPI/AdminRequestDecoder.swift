import AdminContract
import DNSWire
import Foundation
import HealthChecks

/// What an override write asks for, once its body has been checked: PUT
/// …/health-checks/{id}/override, and the region evacuate/restore routes.
public struct AdminOverrideIntent: Sendable, Equatable {
    /// Required for PUT …/override; the region routes imply it and ignore a given one.
    public var state: HealthOverride.State?
    /// Seconds until the override expires; nil for "until cleared".
    public var duration: TimeInterval?
    public var reason: String?
    public var force: Bool
    public var requestedBy: String?

    public init(state: HealthOverride.State? = nil, duration: TimeInterval? = nil, reason: String? = nil, force: Bool = false,
                requestedBy: String? = nil) {
        self.state = state
        self.duration = duration
        self.reason = reason
        self.force = force
        self.requestedBy = requestedBy
    }
}

/// A request the admin API refuses, with its HTTP status and the field at fault.
public struct AdminRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var field: String
    public var message: String

    public var description: String { "\(status) \(field): \(message)" }

    public init(status: Int, field: String, message: String) {
        self.status = status
        self.field = field
        self.message = message
    }

    static func badRequest(_ message: String, field: String) -> AdminRequestError {
        AdminRequestError(status: 400, field: field, message: message)
    }
}

/// Turns the bytes and `Content-Type` of an override write into an `AdminOverrideIntent`,
/// or an error naming the field. Pure (no I/O, no server): the routes call it and the
/// fuzzer calls it, so what is fuzzed is what serves.
public enum AdminRequestDecoder {
    /// The body limit of an admin write.
    public static let maxBodySize = 64 * 1024
    /// The body limit of `POST /v1/whatif`, which may carry a client list (100,000
    /// networks of CSV fit).
    public static let maxWhatIfBodySize = 16 << 20

    /// The body limit of a write to `path`.
    public static func bodyLimit(path: String) -> Int {
        path == "/v1/whatif" ? maxWhatIfBodySize : maxBodySize
    }

    /// Checks the content type, then decodes the JSON body: `state` ("up"/"down"), `for`
    /// (a duration such as 90s or 1h30m), `reason`, `force`, `requestedBy`. An empty body
    /// is allowed only when `allowEmpty` (the region routes).
    public static func decodeOverride(body: [UInt8], contentType: String?, allowEmpty: Bool) throws(AdminRequestError) -> AdminOverrideIntent {
        if body.isEmpty && allowEmpty {
            try checkContentType(contentType, bodyIsEmpty: true)
            return AdminOverrideIntent()
        }
        let request = try decodeBody(AdminJSON.OverrideRequest.self, body: body, contentType: contentType, required: "state")
        var intent = AdminOverrideIntent(reason: request.reason, force: request.force ?? false, requestedBy: request.requestedBy)
        if let text = request.state {
            guard let state = HealthOverride.State(rawValue: text.lowercased()) else {
                throw .badRequest("'state' must be \"up\" or \"down\", not \"\(text)\"", field: "state")
            }
            intent.state = state
        } else if !allowEmpty {
            throw .badRequest("'state' is required: \"up\" or \"down\"", field: "state")
        }
        intent.duration = try duration(request.for)
        return intent
    }

    /// The `for` field of an override or drill: a positive duration such as 90s, 15m or
    /// 1h30m; nil when absent.
    static func duration(_ text: String?) throws(AdminRequestError) -> TimeInterval? {
        guard let text else { return nil }
        guard let seconds = TimeValue.parse(text), seconds > 0 else {
            throw .badRequest("'for' must be a duration such as 90s, 15m or 1h30m, not \"\(text.prefix(40))\"", field: "for")
        }
        return TimeInterval(seconds)
    }

    /// The checks every JSON write body goes through, then the decoding: the content type,
    /// the size limit, a body at all (naming `required`, the field it must hold), and each
    /// decoding error named by its field.
    static func decodeBody<Body: Decodable>(_ type: Body.Type, body: [UInt8], contentType: String?,
                                             required: String, limit: Int = maxBodySize) throws(AdminRequestError) -> Body {
        try checkContentType(contentType, bodyIsEmpty: body.isEmpty)
        guard body.count <= limit else {
            throw AdminRequestError(status: 413, field: "body", message: "the body is larger than \(limit) bytes")
        }
        guard !body.isEmpty else { throw .badRequest("the request needs a JSON body with \"\(required)\"", field: required) }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(body))
        } catch DecodingError.keyNotFound(let key, _) {
            throw .badRequest("'\(key.stringValue)' is required", field: key.stringValue)
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .badRequest("field '\(field)' has the wrong type", field: field.isEmpty ? "body" : field)
        } catch {
            throw .badRequest("the body is not a JSON object", field: "body")
        }
    }

    /// The content-type rule for every write (SPEC §5): a `Content-Type` that is present
    /// must be `application/json` (parameters such as charset allowed), and a body needs
    /// one. A browser can send `text/plain` across sites without asking first; it cannot
    /// send `application/json` that way, so this refuses cross-site form and fetch writes.
    public static func checkContentType(_ contentType: String?, bodyIsEmpty: Bool) throws(AdminRequestError) {
        guard let contentType else {
            if bodyIsEmpty { return }
            throw AdminRequestError(status: 415, field: "Content-Type",
                                    message: "a request with a body needs Content-Type: application/json")
        }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json" else {
            throw AdminRequestError(status: 415, field: "Content-Type",
                                    message: "Content-Type must be application/json, not \"\(contentType.prefix(100))\"")
        }
    }
}
