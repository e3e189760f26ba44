import AdminContract
import DNSWire
import Foundation
import Testing

/// `switchyard whatif` end to end: the built binary as server (with `--geo-networks`)
/// and as client, over the admin API.
@Suite(.serialized) struct WhatIfEndToEndTests {
    static func zone(east: HTTPBackend, west: HTTPBackend) -> String {
        """
        $ORIGIN whatif.test.
        $TTL 60
        @   IN SOA ns hostmaster 1 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        $HEALTHCHECK east \(east.url) interval=1s timeout=1s threshold=5 region=us-east-1
        $HEALTHCHECK west \(west.url) interval=1s timeout=1s threshold=5 region=eu-west-1
        app [latency id=use1 region=us-east-1 health=east] 60 IN A 192.0.2.1
        app [latency id=euw1 region=eu-west-1 health=west] 60 IN A 192.0.2.2
        geo [geo id=us country=US health=east] 60 IN A 192.0.2.11
        geo [geo id=any country=* health=west] 60 IN A 192.0.2.12
        """
    }

    static let networks = """
        prefix,continent,country,subdivision,latitude,longitude
        10.1.0.0/16,NA,US,NY,40.7,-74.0
        10.2.0.0/16,NA,US,CA,37.8,-122.4
        10.3.0.0/16,EU,IE,,53.3,-6.3
        10.4.0.0/16,EU,DE,,50.1,8.7

        """

    @Test func evacuatePrintsTheMovesOfTheServersNetworksAndChangesNothing() async throws {
        let east = try await HTTPBackend.start(host: "127.0.0.41")
        let west = try await HTTPBackend.start(host: "127.0.0.42")
        let folder = try TemporaryFolder(prefix: "whatif")
        defer { folder.remove() }
        try folder.writeZone(Self.zone(east: east, west: west), as: "whatif.test.zone")
        try Self.networks.write(to: folder.file("networks.csv"), atomically: true, encoding: .utf8)
        let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("whatif.test.", .soa),
                                                    extraArguments: ["--geo-networks", folder.file("networks.csv").path])
        defer { sy.stop() }

        let json = try await sy.client(["whatif", "evacuate", "us-east-1", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try AdminJSON.decoder().decode(AdminJSON.WhatIfReport.self, from: Data(json.stdout.utf8))
        #expect(report.clients == 4)
        #expect(report.assumed.checksDown == ["east"])
        let app = try #require(report.names.first { $0.name == "app.whatif.test." })
        #expect(app.before == [.init(set: "euw1", share: 50), .init(set: "use1", share: 50)])
        #expect(app.after == [.init(set: "euw1", share: 100)])
        #expect(app.moves == [.init(from: "use1", to: "euw1", share: 50)])
        let geo = try #require(report.names.first { $0.name == "geo.whatif.test." })
        #expect(geo.moves == [.init(from: "us", to: "any", share: 50)])
        // Nothing was changed: the server still answers from us-east-1 for New York.
        #expect(sy.addresses("app.whatif.test.", subnet: "10.1.0.0/24") == ["192.0.2.1"])
        let health = try await sy.client(["health"])
        #expect(health.status == 0 && !health.stdout.contains("until") && !health.stdout.contains("unhealthy"), "\(health.stdout)")

        let table = try await sy.client(["whatif", "evacuate", "us-east-1"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("app.whatif.test. A (latency)\n   50.0% use1 → euw1\n"), "\(table.stdout)")
        #expect(table.stdout.contains("Left with no healthy set: none"))
        #expect(table.stdout.contains("4 client networks in"))

        // Both regions: every name is left with no healthy set, exit 1.
        let both = try await sy.client(["whatif", "down", "east", "west"])
        #expect(both.status == 1, "\(both.stdout) \(both.stderr)")
        #expect(both.stdout.contains("Left with no healthy set: app.whatif.test. A, geo.whatif.test. A"), "\(both.stdout)")

        // A client list of our own, and errors: exit 2 with the server's reason.
        try "prefix,continent,country,subdivision,latitude,longitude\n10.9.0.0/16,EU,FR,,48.9,2.3\n"
            .write(to: folder.file("mine.csv"), atomically: true, encoding: .utf8)
        let mine = try await sy.client(["whatif", "evacuate", "eu-west-1", "--clients", folder.file("mine.csv").path, "--json"])
        #expect(mine.status == 0, "\(mine.stderr)")
        let own = try AdminJSON.decoder().decode(AdminJSON.WhatIfReport.self, from: Data(mine.stdout.utf8))
        #expect(own.clients == 1)
        #expect(own.names.first { $0.name == "app.whatif.test." }?.moves == [.init(from: "euw1", to: "use1", share: 100)])
        try "prefix,continent,country,subdivision,latitude,longitude\n10.9.0.0/16,EU,XX,,,\n"
            .write(to: folder.file("bad.csv"), atomically: true, encoding: .utf8)
        let bad = try await sy.client(["whatif", "evacuate", "eu-west-1", "--clients", folder.file("bad.csv").path])
        #expect(bad.status == 2 && bad.stderr.contains("\(folder.file("bad.csv").path):2:"), "\(bad.stderr)")
        let unknown = try await sy.client(["whatif", "evacuate", "mars-north-1"])
        #expect(unknown.status == 2 && unknown.stderr.contains("mars-north-1"), "\(unknown.stderr)")
        await east.stop()
        await west.stop()
    }
}
