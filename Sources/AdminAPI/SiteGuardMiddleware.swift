import HTTPTypes
import Hummingbird

/// Refuses, with 403, a request whose `Host` or `Origin` names another site
/// (`AdminSitePolicy`). Runs before everything else, reads included, so a rebinding page
/// cannot even read the API.
struct SiteGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: AdminSitePolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority
        guard policy.allowsHost(host) else {
            throw AdminError(status: .forbidden, problem: .init(
                error: "Host \"\(host?.prefix(100) ?? "")\" is not this admin API's address (\(policy.listenHost)) or localhost", field: "Host"))
        }
        let origin = request.headers[.origin]
        guard policy.allowsOrigin(origin) else {
            throw AdminError(status: .forbidden, problem: .init(
                error: "Origin \"\(origin?.prefix(100) ?? "")\" is another site: the admin API takes requests only from its own origin", field: "Origin"))
        }
        return try await next(request, context)
    }
}

/// Applies the content-type rule (`AdminRequestDecoder.checkContentType`) to every write,
/// with 415 naming `Content-Type`; the body is collected here (at most 64 KiB, 16 MiB for
/// `POST /v1/whatif` with its client list) so the rule sees whether there is one.
struct JSONWritesMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get || request.method == .head { return try await next(request, context) }
        var request = request
        let body: ByteBuffer
        let limit = AdminRequestDecoder.bodyLimit(path: request.uri.path)
        do { body = try await request.collectBody(upTo: limit) } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw AdminError(status: .contentTooLarge, problem: .init(error: "the body is larger than \(limit) bytes", field: "body"))
        }
        do {
            try AdminRequestDecoder.checkContentType(request.headers[.contentType], bodyIsEmpty: body.readableBytes == 0)
        } catch {
            throw AdminError(error)
        }
        return try await next(request, context)
    }
}
