import AdminAPI
import AdminContract
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The routes answer in the shared contract: every SPEC §4 field of a check is present
/// (`null` when unset), and what the server writes the CLI's decoder reads.
@Suite struct AdminContractRouteTests {
    static let specFields = ["id", "target", "region", "observed", "override", "overrideExpires", "effective", "lastCheckedAt", "lastResult"]

    static func data(_ response: TestResponse) -> Data { Data(response.body.readableBytesView) }

    @Test func aCheckWithoutOverrideListsEveryFieldWithNullsForTheUnset() async throws {
        let f = try await AdminRoutesTests.fixture()
        try await Application(router: f.router()).test(.router) { client in
            try await client.execute(uri: "/v1/health-checks", method: .get) { response in
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Self.data(response)) as? [String: Any]
                let checks = try #require(object?["healthChecks"] as? [[String: Any]])
                let p = try #require(checks.first { $0["id"] as? String == "p" })
                for key in Self.specFields { #expect(p.keys.contains(key), "missing \(key)") }
                // Never probed (the fixture's monitor is not started) and not overridden.
                for key in ["override", "overrideExpires", "lastCheckedAt", "lastResult", "overrideReason", "overrideBy"] {
                    #expect(p[key] is NSNull, "\(key) is \(String(describing: p[key])), not null")
                }
                #expect(p["region"] as? String == "us-east-1")
                let list = try AdminJSON.decoder().decode(AdminJSON.HealthCheckList.self, from: Self.data(response))
                #expect(list.healthChecks.map(\.id) == ["p", "s"])
                #expect(list.healthChecks[0].override == nil && list.healthChecks[0].effective == "healthy")
            }
        }
        try await f.close()
    }

    @Test func writesAndRefusalsDecodeAsTheContractsTypes() async throws {
        let f = try await AdminRoutesTests.fixture()
        try await Application(router: f.router()).test(.router) { client in
            let down = try AdminJSON.encoder().encode(AdminJSON.OverrideRequest(state: "down", for: "15m", reason: "drill", requestedBy: "ops"))
            try await client.execute(uri: "/v1/health-checks/p/override", method: .put, headers: AdminRoutesTests.jsonType,
                                     body: ByteBuffer(bytes: Array(down))) { response in
                #expect(response.status == .ok)
                let check = try AdminJSON.decoder().decode(AdminJSON.HealthCheck.self, from: Self.data(response))
                #expect(check.override == "down" && check.overrideReason == "drill" && check.overrideBy == "ops")
                let expires = try #require(check.overrideExpires)
                #expect(abs(expires.timeIntervalSinceNow - 900) < 60)
            }
            let again = try AdminJSON.encoder().encode(AdminJSON.OverrideRequest(state: "down"))
            try await client.execute(uri: "/v1/health-checks/s/override", method: .put, headers: AdminRoutesTests.jsonType,
                                     body: ByteBuffer(bytes: Array(again))) { response in
                #expect(response.status == .conflict)
                let problem = try AdminJSON.decoder().decode(AdminJSON.Problem.self, from: Self.data(response))
                #expect(problem.names == ["app.admin.test. A"])
                #expect(problem.field == nil && problem.cluster == nil)
            }
        }
        try await f.close()
    }
}
