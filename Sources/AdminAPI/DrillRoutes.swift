import AdminContract
import Drills
import Foundation
import HealthChecks
import Hummingbird

extension AdminRequestDecoder {
    /// The body of `POST /v1/drills`: `name` (required, 1 to 64 letters, digits, '-', '_',
    /// '.'), `evacuate` (required, 1 to 32 region names), `for`, `reason`, `force`,
    /// `requestedBy`.
    public static func decodeDrillStart(body: [UInt8], contentType: String?) throws(AdminRequestError) -> DrillControl.Request {
        let start = try decodeBody(AdminJSON.DrillStart.self, body: body, contentType: contentType, required: "name")
        guard Drill.isValidName(start.name) else {
            throw .badRequest("'name' must be 1 to 64 letters, digits, '-', '_' or '.'", field: "name")
        }
        guard (1...32).contains(start.evacuate.count), start.evacuate.allSatisfy({ (1...64).contains($0.utf8.count) }) else {
            throw .badRequest("'evacuate' must list 1 to 32 regions", field: "evacuate")
        }
        return DrillControl.Request(name: start.name, regions: start.evacuate, duration: try duration(start.for), reason: start.reason,
                                    requestedBy: start.requestedBy, force: start.force ?? false)
    }
}

/// `POST /v1/drills`, `GET /v1/drills`, `GET /v1/drills/{name}` and
/// `POST /v1/drills/{name}/stop` (SPEC §8).
enum DrillRoutes {
    static func add(to router: Router<BasicRequestContext>, backend: AdminBackend) {
        router.post("/v1/drills") { request, _ -> EditedResponse<AdminJSON.DrillReport> in
            let drills = try control(backend)
            var request = request
            let buffer = try await request.collectBody(upTo: AdminRequestDecoder.maxBodySize)
            var asked: DrillControl.Request
            do {
                asked = try AdminRequestDecoder.decodeDrillStart(body: Array(buffer.readableBytesView), contentType: request.headers[.contentType])
            } catch let error as AdminRequestError {
                throw AdminError(error)
            }
            asked.requestedBy = OverrideActions.requester(asked.requestedBy)
            let report: AdminJSON.DrillReport
            do { report = try await drills.start(asked) } catch let error as DrillError { throw AdminError(error) }
            return EditedResponse(status: .created, response: report)
        }
        router.get("/v1/drills") { _, _ in
            do { return AdminJSON.DrillList(drills: try await control(backend).list()) } catch let error as DrillError { throw AdminError(error) }
        }
        router.get("/v1/drills/{name}") { _, context in
            let name = try context.parameters.require("name")
            do { return try await control(backend).report(name) } catch let error as DrillError { throw AdminError(error) }
        }
        router.post("/v1/drills/{name}/stop") { _, context in
            let name = try context.parameters.require("name")
            do {
                return try await control(backend).stop(name, requestedBy: OverrideActions.requester(nil))
            } catch let error as DrillError {
                throw AdminError(error)
            }
        }
    }

    static func control(_ backend: AdminBackend) throws -> DrillControl {
        guard let drills = backend.drills else { throw AdminError.notFound("drills are not kept by this server") }
        return drills
    }
}

extension AdminError {
    init(_ error: DrillError) {
        switch error {
        case .invalidName: self = .badRequest(error.description, field: "name")
        case .noRegion: self = .badRequest(error.description, field: "evacuate")
        case .unknownRegion: self.init(status: .notFound, problem: .init(error: error.description, field: "evacuate"))
        case .exists, .running: self.init(status: .conflict, problem: .init(error: error.description, field: "name"))
        case .notFound: self = .notFound(error.description)
        case .health(let health): self.init(health)
        case .store: self.init(status: .internalServerError, problem: .init(error: error.description))
        }
    }
}
