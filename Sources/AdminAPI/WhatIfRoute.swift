import AdminContract
import Authority
import Dispatch
import Foundation
import HealthChecks
import Hummingbird
import Routing

extension AdminRequestDecoder {
    /// The body of `POST /v1/whatif`: `regions` and `down` (not both empty) and an
    /// optional `clients` CSV text; up to `maxWhatIfBodySize` bytes.
    public static func decodeWhatIf(body: [UInt8], contentType: String?) throws(AdminRequestError) -> AdminJSON.WhatIfRequest {
        let request = try decodeBody(AdminJSON.WhatIfRequest.self, body: body, contentType: contentType, required: "regions",
                                     limit: maxWhatIfBodySize)
        if (request.regions ?? []).isEmpty && (request.down ?? []).isEmpty {
            throw .badRequest("give 'regions' to evacuate or checks to mark 'down' (at least one)", field: "regions")
        }
        return request
    }
}

/// `POST /v1/whatif` (SPEC §8): the shares per routed set now and with the given regions
/// and checks down, over the server's client population or the request's. It changes
/// nothing: the assumed health is a copy of the current one.
enum WhatIfRoute {
    static func whatIf(_ request: Request, backend: AdminBackend) async throws -> AdminJSON.WhatIfReport {
        var request = request
        let buffer = try await request.collectBody(upTo: AdminRequestDecoder.maxWhatIfBodySize)
        let body: AdminJSON.WhatIfRequest
        do {
            body = try AdminRequestDecoder.decodeWhatIf(body: Array(buffer: buffer), contentType: request.headers[.contentType])
        } catch {
            throw AdminError(error)
        }
        let regions = body.regions ?? [], named = body.down ?? []
        var down: Set<String> = []
        for region in regions {
            let ids = await backend.monitor.checks(inRegion: region)
            guard !ids.isEmpty else {
                throw AdminError(status: .notFound, problem: .init(error: "no health check has region=\(region)", field: "regions"))
            }
            down.formUnion(ids)
        }
        for id in named {
            guard await backend.monitor.status(of: id) != nil else {
                throw AdminError(status: .notFound, problem: .init(error: "no health check '\(id)'", field: "down"))
            }
            down.insert(id)
        }
        let locator = backend.authority.locator
        let clients: (networks: [ClientNetwork], locator: any ClientLocator)?
        do {
            clients = try body.clients.map { text throws(AdminRequestError) in try WhatIfService.listed(text, locator: locator) }
        } catch {
            throw AdminError(error)
        }
        guard await backend.whatIf.turns.acquire() else {
            throw AdminError(status: .serviceUnavailable, problem: .init(error: "too many what-ifs are waiting; try again shortly"))
        }
        defer { Task { await backend.whatIf.turns.release() } }
        let now = backend.health.current
        var states = now.effective
        for id in down { states[id] = false }
        let assumed = FixedHealth(states)
        let zones = backend.zones.current
        let service = backend.whatIf
        // The analysis keeps both cores busy for up to a second: off the event loops and
        // off Swift's cooperative pool.
        let report = await withCheckedContinuation { (done: CheckedContinuation<WhatIfReport, Never>) in
            DispatchQueue.global().async {
                let networks = clients?.networks ?? service.population.networks
                let analysis = WhatIfAnalysis(zones: zones, locator: clients?.locator ?? locator, clients: networks)
                done.resume(returning: analysis.run(before: now, after: assumed))
            }
        }
        return WhatIfJSON.make(report, assumed: .init(regions: regions, down: named, checksDown: down.sorted()))
    }
}

/// Converts the engine's report into the API's JSON (shares in percent, one decimal).
public enum WhatIfJSON {
    public static func make(_ report: WhatIfReport, assumed: AdminJSON.WhatIfAssumption) -> AdminJSON.WhatIfReport {
        func percent(_ share: Double) -> Double { (share * 1000).rounded() / 10 }
        return AdminJSON.WhatIfReport(
            assumed: assumed,
            names: report.names.map { name in
                AdminJSON.WhatIfName(name: name.name, type: name.type, policy: name.policy.rawValue,
                                     before: name.before.map { .init(set: $0.set, share: percent($0.share)) },
                                     after: name.after.map { .init(set: $0.set, share: percent($0.share)) },
                                     moves: name.moves.map { .init(from: $0.from, to: $0.to, share: percent($0.share)) },
                                     leftWithoutHealthySet: name.leftWithoutHealthySet)
            },
            namesWithoutHealthySet: report.namesWithoutHealthySet, clients: report.clients, classes: report.classes,
            elapsedSeconds: (report.elapsedSeconds * 1000).rounded() / 1000)
    }
}
