import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer TOKEN` on every request that changes state (SPEC §4)
/// when a token is configured; reads stay open.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get || request.method == .head { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              BearerTokenMiddleware.constantTimeEqual(String(header.dropFirst(7)), token) else {
            throw AdminError(status: .unauthorized, problem: .init(error: "this request changes state and needs Authorization: Bearer TOKEN", field: "Authorization"))
        }
        return try await next(request, context)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
