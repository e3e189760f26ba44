import Authority
import DNSWire
import Routing
import Testing
import Zones

/// `AnswerDiff`: two versions of a zone compared answer by answer for named client
/// networks, through `Authority` itself.
@Suite struct AnswerDiffTests {
    static let head = """
        $ORIGIN example.test.
        $TTL 300
        @      IN SOA ns1 hostmaster 1 3600 900 1209600 60
               IN NS  ns1
        ns1    IN A   192.0.2.53

        """
    static let weighted = """
        www [weighted id=blue  weight=90] 60 IN A 192.0.2.1
        www [weighted id=green weight=10] 60 IN A 192.0.2.2

        """
    static let geo = """
        app [geo id=default country=*] 60 IN A 192.0.2.10

        """
    static let plain = """
        plain 60 IN A 192.0.2.20

        """

    /// Three client networks, placed by a fixed table: two in Europe, one in North America.
    static let clients = [
        ClientNetwork(name: "EU-DE", prefix: IPPrefix("198.51.100.0/24")),
        ClientNetwork(name: "NA-US", prefix: IPPrefix("192.0.2.0/24")),
        ClientNetwork(name: "EU-FR", prefix: IPPrefix("203.0.113.0/24")),
    ]
    static let locator = TableLocator(places: [
        ("198.51.100.0/24", ClientLocation(continent: "EU", country: "DE")),
        ("192.0.2.0/24", ClientLocation(continent: "NA", country: "US")),
        ("203.0.113.0/24", ClientLocation(continent: "EU", country: "FR")),
    ])

    static func zones(_ body: String) -> ZoneSet {
        ZoneFixtures.zoneSet(head + body, origin: "example.test.")
    }

    static func diff(_ old: String, _ new: String, samples: Int = AnswerDistribution.standardSamples) -> AnswerDiffReport {
        AnswerDiff(old: zones(old), new: zones(new), clients: clients, locator: locator, samples: samples).compare()
    }

    @Test func identicalZonesGiveAnEmptyReport() {
        let report = Self.diff(Self.weighted + Self.geo + Self.plain, Self.weighted + Self.geo + Self.plain)
        #expect(report.isEmpty)
        #expect(report.changes.isEmpty)
        #expect(report.unreachedChanges.isEmpty)
    }

    @Test func weightChangeReportsTheSharesBeforeAndAfterForEveryClient() throws {
        let rebalanced = Self.weighted.replacingOccurrences(of: "weight=90", with: "weight=50").replacingOccurrences(of: "weight=10", with: "weight=50")
        let report = Self.diff(Self.weighted + Self.plain, rebalanced + Self.plain)
        #expect(report.changes.count == 1)
        let change = try #require(report.changes.first)
        #expect(change.name == "www.example.test.")
        #expect(change.type == "A")
        #expect(change.clients == ["EU-DE", "NA-US", "EU-FR"])
        #expect(change.old.outcomes == [.init(answer: "192.0.2.1 (ttl 60)", permille: 900), .init(answer: "192.0.2.2 (ttl 60)", permille: 100)])
        #expect(change.new.outcomes == [.init(answer: "192.0.2.1 (ttl 60)", permille: 500), .init(answer: "192.0.2.2 (ttl 60)", permille: 500)])
        #expect(change.old.outcomes.map(\.shareText) == ["90%", "10%"])
        #expect(report.unreachedChanges.isEmpty)
    }

    @Test func oddWeightsAreSplitToATenthOfAPercent() throws {
        let thirds = """
            www [weighted id=a weight=1] 60 IN A 192.0.2.1
            www [weighted id=b weight=2] 60 IN A 192.0.2.2

            """
        let report = Self.diff(Self.weighted, thirds)
        let change = try #require(report.changes.first)
        #expect(change.new.outcomes.map(\.permille) == [667, 333])
        #expect(change.new.outcomes.map(\.shareText) == ["66.7%", "33.3%"])
    }

    @Test func europeOnlyRecordIsAttributedToEuropeanClientsOnly() throws {
        let withEurope = Self.geo + "app [geo id=europe continent=EU] 60 IN A 192.0.2.11\n"
        let report = Self.diff(Self.geo + Self.plain, withEurope + Self.plain)
        #expect(report.changes.count == 1)
        let change = try #require(report.changes.first)
        #expect(change.name == "app.example.test.")
        #expect(change.clients == ["EU-DE", "EU-FR"])
        #expect(change.old == AnswerDistribution(always: "192.0.2.10 (ttl 60)"))
        #expect(change.new == AnswerDistribution(always: "192.0.2.11 (ttl 60)"))
        #expect(report.unreachedChanges.isEmpty)
    }

    @Test func changedPlainRecordIsOneChangeForEveryClient() throws {
        let changed = Self.plain.replacingOccurrences(of: "192.0.2.20", with: "192.0.2.21")
        let report = Self.diff(Self.weighted + Self.plain, Self.weighted + changed)
        #expect(report.changes.count == 1)
        let change = try #require(report.changes.first)
        #expect(change.name == "plain.example.test.")
        #expect(change.clients == ["EU-DE", "NA-US", "EU-FR"])
        #expect(change.old == AnswerDistribution(always: "192.0.2.20 (ttl 60)"))
        #expect(change.new == AnswerDistribution(always: "192.0.2.21 (ttl 60)"))
    }

    @Test func failoverRoleSwapChangesTheAnswerForEveryClient() throws {
        // Health checks are taken as healthy: the primary answers in both versions.
        let pair = """
            $HEALTHCHECK one http://127.0.0.1:8080/health
            $HEALTHCHECK two http://127.0.0.2:8080/health
            api [failover id=one role=primary health=one]   60 IN A 192.0.2.30
            api [failover id=two role=secondary health=two] 60 IN A 192.0.2.31

            """
        let swapped = pair.replacingOccurrences(of: "role=primary", with: "role=PRIMARY")
            .replacingOccurrences(of: "role=secondary", with: "role=primary").replacingOccurrences(of: "role=PRIMARY", with: "role=secondary")
        let report = Self.diff(pair, swapped)
        let change = try #require(report.changes.first)
        #expect(report.changes.count == 1)
        #expect(change.clients.count == Self.clients.count)
        #expect(change.old.outcomes.map(\.answer) == ["192.0.2.30 (ttl 60)"])
        #expect(change.new.outcomes.map(\.answer) == ["192.0.2.31 (ttl 60)"])
    }

    @Test func removedNameAndNewTypeShowAsNegativeAnswers() {
        let report = Self.diff(Self.plain, "plain 60 IN TXT \"moved\"\n", samples: 100)
        let byType = Dictionary(grouping: report.changes, by: \.type)
        #expect(byType["A"]?.first?.old == AnswerDistribution(always: "192.0.2.20 (ttl 60)"))
        #expect(byType["A"]?.first?.new == AnswerDistribution(always: "NODATA"))
        #expect(byType["TXT"]?.first?.old == AnswerDistribution(always: "NODATA"))
        #expect(byType["TXT"]?.first?.new == AnswerDistribution(always: "\"moved\" (ttl 60)"))
        let gone = Self.diff(Self.plain, "", samples: 100)
        #expect(gone.changes.map(\.new) == [AnswerDistribution(always: "NXDOMAIN")])
    }

    @Test func recordNoClientReachesIsListedApartFromAnswers() throws {
        let withAsia = Self.geo + "app [geo id=asia continent=AS] 60 IN A 192.0.2.12\n"
        let report = Self.diff(Self.geo, withAsia)
        #expect(report.changes.isEmpty)
        #expect(!report.isEmpty)
        let unreached = try #require(report.unreachedChanges.first)
        #expect(report.unreachedChanges.count == 1)
        #expect(unreached.name == "app.example.test.")
        #expect(unreached.type == "A")
        #expect(unreached.removed.isEmpty)
        #expect(unreached.added == ["app.example.test.\t60\tIN\tA\t192.0.2.12\t; geo id=asia continent=AS"])
    }

    @Test func withoutClientNetworksOneUnlocatedClientIsAsked() throws {
        let withEurope = Self.geo + "app [geo id=europe continent=EU] 60 IN A 192.0.2.11\n"
        let report = AnswerDiff(old: Self.zones(Self.geo), new: Self.zones(withEurope), locator: Self.locator).compare()
        // The unlocated client still gets the default set, so only the lines changed.
        #expect(report.changes.isEmpty)
        #expect(report.unreachedChanges.map(\.name) == ["app.example.test."])
    }

    @Test func cidrChangeReachesOnlyTheNetworkInsideTheBlockWhateverItsFamily() throws {
        // The collection has IPv6 blocks only: IPv4 clients are told apart by no bits at
        // all, which must not stand for the IPv6 client that follows them.
        let offices = """
            $CIDR offices hq 2001:db8:100::/48
            ip [cidr id=hq   collection=offices location=hq] 60 IN A 192.0.2.40
            ip [cidr id=rest collection=offices location=*]  60 IN A 192.0.2.41

            """
        let clients = Self.clients + [ClientNetwork(name: "office", prefix: IPPrefix("2001:db8:100::/56"))]
        let report = AnswerDiff(old: Self.zones(offices), new: Self.zones(offices.replacingOccurrences(of: "192.0.2.40", with: "192.0.2.42")),
                                clients: clients, locator: Self.locator).compare()
        let change = try #require(report.changes.first)
        #expect(report.changes.count == 1)
        #expect(change.clients == ["office"])
        #expect(change.new == AnswerDistribution(always: "192.0.2.42 (ttl 60)"))
    }

    @Test func aliasIsComparedAsTheAddressesItAnswersWith() throws {
        let alias = """
            @   ALIAS app
            app 60 IN A    192.0.2.50
            app 60 IN AAAA 2001:db8::50

            """
        let report = Self.diff(alias, alias.replacingOccurrences(of: "192.0.2.50", with: "192.0.2.51"))
        #expect(report.changes.map { "\($0.name) \($0.type)" } == ["example.test. A", "app.example.test. A"])
        #expect(report.changes.allSatisfy { $0.clients.count == Self.clients.count })
        #expect(report.changes.first?.new == AnswerDistribution(always: "192.0.2.51 (ttl 60)"))
        // AAAA is asked at the ALIAS too, and did not change.
        let retargeted = Self.diff(alias, alias.replacingOccurrences(of: "@   ALIAS app", with: "@   ALIAS ns1"))
        #expect(retargeted.changes.map { "\($0.name) \($0.type)" } == ["example.test. A", "example.test. AAAA"])
        #expect(retargeted.changes.last?.new == AnswerDistribution(always: "NODATA"))
    }

    @Test func gridDrawsEachValueOfADividingBoundEqually() {
        var counts = [Int](repeating: 0, count: 7)
        for sample in 0..<70 {
            var random = GridRandom(sample: sample, of: 70)
            counts[Int(random.next(upperBound: UInt64(7)))] += 1
        }
        #expect(counts == [Int](repeating: 10, count: 7))
    }
}
