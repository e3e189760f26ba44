import AdminContract
import Foundation
import Hummingbird

/// Why a deploy was refused, with the HTTP status to answer (set by whoever carries the
/// deploy out: an unknown commit is 422, a fleet that cannot be reached 503).
public struct DeployRefusal: Error, Sendable {
    public var status: Int
    public var message: String
    public var cluster: [String]?

    public init(status: Int, message: String, cluster: [String]? = nil) {
        self.status = status
        self.message = message
        self.cluster = cluster
    }
}

/// Carries out `POST /v1/deploy` (SPEC §7): given the commit as asked and who asked.
public typealias DeployAction = @Sendable (_ commit: String, _ requestedBy: String?) async throws(DeployRefusal) -> AdminJSON.DeployResult

extension AdminRequestDecoder {
    /// The body of `POST /v1/deploy`: `commit` (required: 1 to 256 characters, no white
    /// space or control characters, not starting with '-' so git never reads it as an
    /// option) and `requestedBy`.
    public static func decodeDeploy(body: [UInt8], contentType: String?) throws(AdminRequestError) -> AdminJSON.DeployRequest {
        let request = try decodeBody(AdminJSON.DeployRequest.self, body: body, contentType: contentType, required: "commit")
        let commit = request.commit
        guard (1...256).contains(commit.utf8.count), !commit.hasPrefix("-"),
              commit.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            throw .badRequest("'commit' must be a commit id, tag or branch (1 to 256 characters, no spaces, not starting with '-')", field: "commit")
        }
        return request
    }
}

enum DeployRoute {
    static func deploy(_ request: Request, backend: AdminBackend) async throws -> AdminJSON.DeployResult {
        var request = request
        let buffer = try await request.collectBody(upTo: AdminRequestDecoder.maxBodySize)
        let asked: AdminJSON.DeployRequest
        do {
            asked = try AdminRequestDecoder.decodeDeploy(body: Array(buffer.readableBytesView), contentType: request.headers[.contentType])
        } catch {
            throw AdminError(error)
        }
        guard let deploy = backend.deploy else {
            throw AdminError(status: .conflict, problem: .init(error: "this server serves zone files from folders; deploying a commit needs serve --git"))
        }
        do {
            return try await deploy(asked.commit, asked.requestedBy)
        } catch {
            throw AdminError(status: .init(code: error.status), problem: .init(error: error.message, field: error.status == 422 ? "commit" : nil,
                                                                              cluster: error.cluster))
        }
    }
}
