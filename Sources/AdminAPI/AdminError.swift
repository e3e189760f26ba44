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

    var headers: HTTPFields { [.contentType: "application/json"] }

    func body(allocator: ByteBufferAllocator) -> ByteBuffer? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return allocator.buffer(data: (try? encoder.encode(problem)) ?? Data())
    }
}
