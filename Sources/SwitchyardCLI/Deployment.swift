import AdminAPI
import AdminContract
import Dispatch
import FleetState
import Foundation
import HealthChecks
import Logging
import Zones
import ZoneSources

/// `deploy` on this server (SPEC §7): a commit of the zone repository is resolved here,
/// then loaded at once (one server) or asked of the whole fleet through etcd, where every
/// instance, this one included, loads it from its own repository and reports it.
enum Deployment {
    /// The action behind `POST /v1/deploy`, or nil when zones come from folders. With a
    /// fleet, also makes this instance follow the fleet's requested commit.
    static func action(source: any ZoneSource, reloader: ZoneReloader, fleet: EtcdStateBackend?, logger: Logger) -> DeployAction? {
        guard let git = source as? GitZoneSource else { return nil }
        fleet?.onDeploy { request in
            Task {
                logger.notice("the fleet is asked to serve commit \(request.commit)\(request.requestedBy.map { " (by \($0))" } ?? ""): loading it")
                await reloader.reload(toCommit: request.commit)
            }
        }
        return { commit, requestedBy throws(DeployRefusal) in
            let full: String
            switch await resolve(commit, in: git) {
            case .success(let resolved): full = resolved
            case .failure(let error): throw DeployRefusal(status: 422, message: "\(error)")
            }
            if let fleet {
                do throws(HealthStateError) {
                    let revision = try await fleet.requestDeploy(DeployRequest(commit: full, requestedBy: requestedBy, at: Date()))
                    return AdminJSON.DeployResult(commit: full, ok: true, revision: revision, zones: nil)
                } catch {
                    throw DeployRefusal(status: error.unreachable ? 503 : 500, message: "cannot ask the fleet to serve \(full): \(error)",
                                        cluster: fleet.cluster)
                }
            }
            logger.notice("deploying commit \(full)\(requestedBy.map { " (asked by \($0))" } ?? "")")
            let results = await reloader.reload(toCommit: full)
            return AdminJSON.DeployResult(commit: full, ok: !results.contains(where: \.failed), revision: nil,
                                          zones: results.map(ReloadJSON.outcome))
        }
    }

    /// `git rev-parse` runs git: on a thread of its own, off the pool that answers the API.
    static func resolve(_ commit: String, in git: GitZoneSource) async -> Result<String, ZoneSourceError> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(ZoneSourceError) {
                    continuation.resume(returning: .success(try git.resolve(commit)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
    }
}
