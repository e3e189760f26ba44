import AdminAPI
import AdminContract
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /v1/whatif` in memory: what it reports, that it changes nothing, and how it
/// refuses bad requests.
@Suite struct WhatIfRouteTests {
    static let zone = AdminRoutesTests.zone + """

    geo [geo id=us country=US health=p] 60 IN A 192.0.2.10
    geo [geo id=de country=DE health=s] 60 IN A 192.0.2.11
    geo [geo id=any country=*] 60 IN A 192.0.2.12

    """

    static func post(_ client: some TestClientProtocol, _ object: [String: Any], headers: HTTPFields = AdminRoutesTests.jsonType,
                     check: @escaping (TestResponse) throws -> Void) async throws {
        try await client.execute(uri: "/v1/whatif", method: .post, headers: headers, body: AdminRoutesTests.body(object), testCallback: check)
    }

    static func report(_ response: TestResponse) throws -> AdminJSON.WhatIfReport {
        try AdminJSON.decoder().decode(AdminJSON.WhatIfReport.self, from: Data(response.body.readableBytesView))
    }

    @Test func evacuatingARegionMovesItsNamesAndChangesNothing() async throws {
        let f = try await AdminRoutesTests.fixture(zone: Self.zone)
        let statesBefore = await f.backend.monitor.status().map { "\($0.definition.id) \($0.override == nil) \($0.effective) \($0.revision)" }
        let files = try FileManager.default.contentsOfDirectory(atPath: f.folder.file("state").path).sorted()
        try await Application(router: f.router()).test(.router) { client in
            try await Self.post(client, ["regions": ["us-east-1"]]) { response in
                #expect(response.status == .ok)
                let report = try Self.report(response)
                #expect(report.assumed == .init(regions: ["us-east-1"], down: [], checksDown: ["p"]))
                #expect(report.clients == 1 && report.classes == 1)
                let app = try #require(report.names.first { $0.name == "app.admin.test." })
                #expect(app.policy == "failover")
                #expect(app.before == [.init(set: "primary", share: 100)] && app.after == [.init(set: "standby", share: 100)])
                #expect(app.moves == [.init(from: "primary", to: "standby", share: 100)])
                #expect(report.namesWithoutHealthySet.isEmpty)
            }
            try await Self.post(client, ["down": ["p", "s"]]) { response in
                #expect(response.status == .ok)
                let report = try Self.report(response)
                #expect(report.namesWithoutHealthySet == ["app.admin.test. A"])
                #expect(report.names.first { $0.name == "app.admin.test." }?.leftWithoutHealthySet == true)
            }
        }
        let statesAfter = await f.backend.monitor.status().map { "\($0.definition.id) \($0.override == nil) \($0.effective) \($0.revision)" }
        #expect(!statesBefore.isEmpty)
        #expect(statesAfter == statesBefore)
        #expect(f.backend.health.current.effective.values.allSatisfy { $0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.folder.file("state").path).sorted() == files)
        try await f.close()
    }

    @Test func aClientListIsCountedAndPlacedByItsRows() async throws {
        let f = try await AdminRoutesTests.fixture(zone: Self.zone)
        let csv = "prefix,continent,country,subdivision,latitude,longitude\n10.1.0.0/16,NA,US,,,\n10.2.0.0/16,NA,US,,,\n10.3.0.0/16,EU,DE,,,\n10.4.0.0/16,,,,,\n"
        try await Application(router: f.router()).test(.router) { client in
            try await Self.post(client, ["regions": ["eu-west-1"], "clients": csv]) { response in
                #expect(response.status == .ok)
                let report = try Self.report(response)
                #expect(report.clients == 4)
                let geo = try #require(report.names.first { $0.name == "geo.admin.test." })
                #expect(geo.before == [.init(set: "us", share: 50), .init(set: "any", share: 25), .init(set: "de", share: 25)])
                #expect(geo.moves == [.init(from: "de", to: "any", share: 25)])
            }
        }
        try await f.close()
    }

    @Test func refusesUnknownRegionsAndChecksEmptyAssumptionsAndBadClientLists() async throws {
        let f = try await AdminRoutesTests.fixture(zone: Self.zone)
        try await Application(router: f.router()).test(.router) { client in
            try await Self.post(client, ["regions": ["mars-north-1"]]) { response in
                #expect(response.status == .notFound)
                #expect(AdminRoutesTests.json(response)["field"] as? String == "regions")
                #expect((AdminRoutesTests.json(response)["error"] as? String)?.contains("mars-north-1") == true)
            }
            try await Self.post(client, ["down": ["p", "nope"]]) { response in
                #expect(response.status == .notFound)
                #expect(AdminRoutesTests.json(response)["field"] as? String == "down")
                #expect((AdminRoutesTests.json(response)["error"] as? String)?.contains("nope") == true)
            }
            try await Self.post(client, ["regions": [], "down": []]) { response in
                #expect(response.status == .badRequest)
                #expect(AdminRoutesTests.json(response)["field"] as? String == "regions")
            }
            try await Self.post(client, ["regions": ["us-east-1"], "clients": "prefix,continent,country,subdivision,latitude,longitude\n10.0.0.0/8,NA,US,,,\nnot-a-prefix,,,,,\n"]) { response in
                #expect(response.status == .badRequest)
                #expect(AdminRoutesTests.json(response)["field"] as? String == "clients")
                #expect((AdminRoutesTests.json(response)["error"] as? String)?.contains("clients:3") == true)
            }
            try await Self.post(client, ["regions": ["us-east-1"]], headers: [:]) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
        try await f.close()
    }

    @Test func aWhatIfNeedsTheBearerTokenLikeEveryWrite() async throws {
        let f = try await AdminRoutesTests.fixture(zone: Self.zone)
        try await Application(router: f.router(token: "s3cret")).test(.router) { client in
            try await Self.post(client, ["regions": ["us-east-1"]]) { #expect($0.status == .unauthorized) }
            var headers = AdminRoutesTests.jsonType
            headers[.authorization] = "Bearer s3cret"
            try await Self.post(client, ["regions": ["us-east-1"]], headers: headers) { #expect($0.status == .ok) }
        }
        try await f.close()
    }

    @Test func onlyTheWhatIfRouteTakesBodiesAbove64KiBUpTo16MiB() async throws {
        let f = try await AdminRoutesTests.fixture(zone: Self.zone)
        let rows = "prefix,continent,country,subdivision,latitude,longitude\n"
            + (0..<4000).map { "10.\($0 / 256).\($0 % 256).0/24,EU,DE,,,\n" }.joined()
        #expect(rows.utf8.count > AdminRequestDecoder.maxBodySize)
        try await Application(router: f.router()).test(.router) { client in
            try await Self.post(client, ["regions": ["eu-west-1"], "clients": rows]) { response in
                #expect(response.status == .ok)
                let report = try Self.report(response)
                #expect(report.clients == 4000)
            }
            let padding = String(repeating: "x", count: AdminRequestDecoder.maxBodySize)
            try await client.execute(uri: "/v1/regions/us-east-1/evacuate", method: .post, headers: AdminRoutesTests.jsonType,
                                     body: AdminRoutesTests.body(["reason": padding])) { response in
                #expect(response.status == .contentTooLarge)
            }
            let huge = String(repeating: "x", count: AdminRequestDecoder.maxWhatIfBodySize)
            try await Self.post(client, ["regions": ["eu-west-1"], "clients": huge]) { response in
                #expect(response.status == .contentTooLarge)
                #expect(AdminRoutesTests.json(response)["field"] as? String == "body", "\(String(buffer: response.body))")
            }
        }
        #expect(await f.backend.monitor.status().allSatisfy { $0.override == nil })
        try await f.close()
    }
}
