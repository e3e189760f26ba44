import AdminContract
import Foundation
import HTTPTypes
import Hummingbird

/// An admin API failure with its status and a JSON body that names the bad field or the
/// affected names.
struct AdminError: HTTPResponseError {
    var status: HTTPResponse.Status
    var problem: AdminJSON.Problem

    static func badRequest(_ message: String, field: String) -> AdminError {
        AdminError(status: .badRequest, problem: .init(error: message, field: field))
    }

    static func notFound(_ message: String) -> AdminError {
        AdminError(status: .notFound, problem: .init(error: message))
    }

    static func conflict(_ message: String, names: [String]) -> AdminError {
        AdminError(status: .conflict, problem: .init(error: message, names: names))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(problem)) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
    }
}

extension AdminError {
    init(_ refused: AdminRequestError) {
        self.init(status: HTTPResponse.Status(code: refused.status), problem: .init(error: refused.message, field: refused.field))
    }
}
