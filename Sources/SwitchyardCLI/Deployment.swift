import AdminAPI
import AdminContract
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
        if let fleet {
            // One loop takes the fleet's requests in the order etcd gave them: a task per
            // request could load an older commit after a newer one.
            let (requests, queue) = AsyncStream.makeStream(of: DeployRequest.self)
            fleet.onDeploy { queue.yield($0) }
            Task {
                for await request in requests {
                    logger.notice("the fleet is asked to serve commit \(request.commit)\(request.requestedBy.map { " (by \($0))" } ?? ""): loading it")
                    await reloader.reload(toCommit: request.commit)
                }
            }
        }
        return { commit, requestedBy throws(DeployRefusal) in
            let full: String
            switch await offPool({ () throws(ZoneSourceError) in try git.resolve(commit) }) {
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

}
