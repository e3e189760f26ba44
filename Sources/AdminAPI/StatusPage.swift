import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /` (SPEC §8): the status page for the people watching, one self-contained HTML
/// document (`StatusPageDocument`) that polls `GET /v1/status` every second. Read-only,
/// no token; its Content-Security-Policy lets it load nothing but that JSON from its own
/// origin.
enum StatusPage {
    /// Inline script and style only, data: images only, requests only to this origin; no
    /// framing (the page shows which regions are down, nothing a stranger should embed).
    static let contentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        + "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static let body = ByteBuffer(string: StatusPageDocument.html)

    static func response() -> Response {
        Response(status: .ok, headers: [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy: contentSecurityPolicy,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ], body: .init(byteBuffer: body))
    }
}
