import AdminContract
import Authority
import DNSWire
import Foundation
import Hummingbird
import Routing
import Zones

/// GET /v1/explain: the answer a client would get and the decision trail, computed by the
/// same code as the query path with a trace attached.
enum ExplainRoute {
    static func explain(_ request: Request, backend: AdminBackend) async throws -> AdminJSON.Explanation {
        let query = request.uri.queryParameters
        guard let nameText = query["name"].map(String.init), !nameText.isEmpty else {
            throw AdminError.badRequest("'name' is required", field: "name")
        }
        let name: DomainName
        do { name = try DomainName(nameText, origin: .root) } catch {
            throw AdminError.badRequest("'name' is not a domain name: \(error.message)", field: "name")
        }
        let typeText = query["type"].map(String.init) ?? "A"
        guard let type = RecordType(mnemonic: typeText) else {
            throw AdminError.badRequest("'type' \(typeText) is not a record type", field: "type")
        }
        let clientText = query["client"].map(String.init) ?? "127.0.0.1"
        guard let client = IPAddress(clientText) else {
            throw AdminError.badRequest("'client' \(clientText) is not an IP address", field: "client")
        }
        var context = ClientContext(source: client)
        let subnetText = query["subnet"].map(String.init)
        if let subnetText, !subnetText.isEmpty {
            guard let prefix = IPPrefix(subnetText) else {
                throw AdminError.badRequest("'subnet' \(subnetText) is not an address prefix", field: "subnet")
            }
            context.subnet = ClientSubnet(address: prefix.address, sourcePrefixLength: UInt8(prefix.length))
        }
        var states = await backend.monitor.effectiveStates()
        for (key, healthy) in [("down", false), ("up", true)] {
            for id in (query[Substring(key)].map(String.init) ?? "").split(separator: ",") { states[String(id)] = healthy }
        }
        var random = SplitMix64()
        var trace = TraceLog()
        let snapshot = Authority.Snapshot(zones: backend.zones.current, health: FixedHealth(states))
        let response = backend.authority.answer(Question(name: name, type: type), client: context, snapshot: snapshot,
                                                random: &random, trace: &trace)
        return AdminJSON.Explanation(
            name: name.description, type: type.mnemonic, client: client.description, subnet: subnetText,
            rcode: response.rcode.description, authoritative: response.authoritative,
            answer: response.answer.flatMap(\.lines), authority: response.authority.flatMap(\.lines),
            additional: response.additional.flatMap(\.lines), clientSubnetScope: Int(response.clientSubnetScope),
            trail: trace.steps.map { .init(verdict: $0.verdict.rawValue, set: $0.setID, detail: $0.detail) })
    }
}
