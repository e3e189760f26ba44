import AdminContract
import Authority
import GeoIP
import Logging
import Routing
@testable import SwitchyardCLI
import Testing

/// The networks a server's what-if counts without a client list, and the table
/// `switchyard whatif` prints.
@Suite struct WhatIfPopulationTests {
    static let logger = Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func geoNetworksRowsComeFirstThenThePlacesOfTheGeoIPDatabaseThenOneUnlocatedClient() throws {
        let table = try GeoNetworksTable(parsing: Array("\(GeoNetworksTable.header)\n10.1.0.0/16,NA,US,CA,,\n10.2.0.0/16,EU,DE,,,\n".utf8), file: "n.csv")
        let rows = WhatIfPopulation.standard(locator: GeoClientLocator(sources: [table], latencyTable: nil), geoip: GeoIPFixtures.ipv6Record24,
                                             logger: Self.logger)()
        #expect(rows.map(\.prefix?.description) == ["10.1.0.0/16", "10.2.0.0/16"])
        let places = try MaxMindDatabase(contentsOf: GeoIPFixtures.ipv6Record24).networksByPlace()
        let fromDatabase = WhatIfPopulation.standard(locator: NoLocator(), geoip: GeoIPFixtures.ipv6Record24, logger: Self.logger)()
        #expect(places.count > 20)
        #expect(fromDatabase.map(\.prefix) == places.map(\.prefix))
        #expect(WhatIfPopulation.standard(locator: NoLocator(), geoip: nil, logger: Self.logger)() == [.anyClient])
        #expect(WhatIfPopulation.standard(locator: NoLocator(), geoip: "/nonexistent.mmdb", logger: Self.logger)() == [.anyClient])
    }

    @Test func theTableListsMovesSharesTheNamesLeftWithoutAHealthySetAndThePopulation() {
        let moved = AdminJSON.WhatIfName(name: "www.example.test.", type: "A", policy: "latency",
                                         before: [.init(set: "use1", share: 60), .init(set: "euw1", share: 40)],
                                         after: [.init(set: "euw1", share: 100)], moves: [.init(from: "use1", to: "euw1", share: 60)],
                                         leftWithoutHealthySet: false)
        let still = AdminJSON.WhatIfName(name: "api.example.test.", type: "A", policy: "geo", before: [.init(set: nil, share: 100)],
                                         after: [.init(set: nil, share: 100)], moves: [], leftWithoutHealthySet: false)
        let report = AdminJSON.WhatIfReport(assumed: .init(regions: ["us-east-1"], down: [], checksDown: ["use1"]), names: [still, moved],
                                            namesWithoutHealthySet: [], clients: 100_000, classes: 386, elapsedSeconds: 0.3)
        #expect(WhatIfTable.render(report) == """
            Assuming down: use1 (regions us-east-1)
            www.example.test. A (latency)
               60.0% use1 → euw1
              now:   use1 60.0%, euw1 40.0%
              after: euw1 100.0%
            1 routed name and type unchanged
            Left with no healthy set: none
            100000 client networks in 386 classes, computed in 0.300 s

            """)
    }
}
