import Authority
import DNSWire
import Routing
import Testing
import Zones

/// ROUTE53.md §10, the answer-selection vectors, through `Authority` in memory.
@Suite struct Route53ChecklistTests {
    static func zone(_ body: String) -> ZoneSet {
        ZoneFixtures.zoneSet("""
        $TTL 300
        @ IN SOA ns h 1 7200 900 1209600 60
        @ IN NS ns
        ns IN A 192.0.2.53
        $HEALTHCHECK h1 http://192.0.2.1/
        $HEALTHCHECK h2 http://192.0.2.2/
        $HEALTHCHECK h3 http://192.0.2.3/
        $HEALTHCHECK h4 http://192.0.2.4/
        \(body)
        """, origin: "r53.test.")
    }

    static func addresses(_ response: Response) -> Set<String> {
        Set(response.answer.flatMap { $0.records.map(\.presentation) })
    }

    /// Counts answers over `draws` queries with a seeded generator.
    static func distribution(_ asker: inout Asker, _ name: String, draws: Int = 3000) -> [String: Int] {
        var counts: [String: Int] = [:]
        for _ in 0..<draws {
            for address in addresses(asker.ask(name, .a)) { counts[address, default: 0] += 1 }
        }
        return counts
    }

    @Test func item1_allWeightsZeroSpreadEvenly() {
        var asker = Asker(Self.zone("""
        w [weighted id=a weight=0] 60 IN A 192.0.2.10
        w [weighted id=b weight=0] 60 IN A 192.0.2.11
        w [weighted id=c weight=0] 60 IN A 192.0.2.12
        """))
        let counts = Self.distribution(&asker, "w.r53.test.")
        #expect(counts.count == 3)
        // 1,000 expected each; ±15% is over 8 standard deviations.
        for (_, n) in counts { #expect((850...1150).contains(n)) }
    }

    @Test func weightedFollowsTheWeights() {
        var asker = Asker(Self.zone("""
        w [weighted id=blue weight=90] 60 IN A 192.0.2.10
        w [weighted id=green weight=10] 60 IN A 192.0.2.11
        """))
        let counts = Self.distribution(&asker, "w.r53.test.", draws: 5000)
        // Expected 4,500 / 500; tolerance ±10% of each share (≥ 4.7 standard deviations).
        #expect((4050...4950).contains(counts["192.0.2.10"] ?? 0))
        #expect((450...550).contains(counts["192.0.2.11"] ?? 0))
    }

    static let oneOneZero = """
    w [weighted id=r1 weight=1 health=h1] 60 IN A 192.0.2.1
    w [weighted id=r2 weight=1 health=h2] 60 IN A 192.0.2.2
    w [weighted id=r3 weight=0 health=h3] 60 IN A 192.0.2.3
    """

    @Test func item2_zeroWeightAnswersOnlyWhenTheOthersAreDown() {
        var asker = Asker(Self.zone(Self.oneOneZero), health: FixedHealth(["h1": false, "h2": false, "h3": true]))
        #expect(Set(Self.distribution(&asker, "w.r53.test.", draws: 50).keys) == ["192.0.2.3"])
        asker.health = FixedHealth(["h1": false, "h2": false, "h3": false])
        #expect(Set(Self.distribution(&asker, "w.r53.test.", draws: 200).keys) == ["192.0.2.1", "192.0.2.2"])
        asker.health = FixedHealth(["h1": false, "h2": true, "h3": false])
        #expect(Set(Self.distribution(&asker, "w.r53.test.", draws: 50).keys) == ["192.0.2.2"])
        asker.health = FixedHealth(["h1": true, "h2": true, "h3": true])
        #expect(Set(Self.distribution(&asker, "w.r53.test.", draws: 200).keys) == ["192.0.2.1", "192.0.2.2"])
    }

    @Test func item3_zeroWeightWithoutCheckAnswersWhenOthersAreDown() {
        var asker = Asker(Self.zone("""
        w [weighted id=r1 weight=1 health=h1] 60 IN A 192.0.2.1
        w [weighted id=r2 weight=1 health=h2] 60 IN A 192.0.2.2
        w [weighted id=r3 weight=0] 60 IN A 192.0.2.3
        """), health: FixedHealth(["h1": false, "h2": false]))
        #expect(Set(Self.distribution(&asker, "w.r53.test.", draws: 50).keys) == ["192.0.2.3"])
        asker.health = AllHealthy()
        #expect(Set(Self.distribution(&asker, "w.r53.test.", draws: 200).keys) == ["192.0.2.1", "192.0.2.2"])
    }

    static let failover = """
    f [failover id=p role=primary health=h1] 60 IN A 192.0.2.1
    f [failover id=s role=secondary health=h2] 60 IN A 192.0.2.2
    g [failover id=p role=primary health=h1] 60 IN A 192.0.2.1
    g [failover id=s role=secondary] 60 IN A 192.0.2.2
    """

    @Test(arguments: [
        (true, true, "192.0.2.1"), (true, false, "192.0.2.1"),
        (false, true, "192.0.2.2"), (false, false, "192.0.2.1"),
    ])
    func item5_failoverTable(primaryHealthy: Bool, secondaryHealthy: Bool, expected: String) {
        var asker = Asker(Self.zone(Self.failover), health: FixedHealth(["h1": primaryHealthy, "h2": secondaryHealthy]))
        #expect(Self.addresses(asker.ask("f.r53.test.", .a)) == [expected])
    }

    @Test func item4_secondaryWithoutCheckWinsWheneverPrimaryIsDown() {
        var asker = Asker(Self.zone(Self.failover), health: FixedHealth(["h1": false]))
        #expect(Self.addresses(asker.ask("g.r53.test.", .a)) == ["192.0.2.2"])
    }

    static let geo = """
    g [geo id=ca country=US subdivision=CA health=h1] 60 IN A 192.0.2.1
    g [geo id=na continent=NA health=h2] 60 IN A 192.0.2.2
    g [geo id=any country=* health=h3] 60 IN A 192.0.2.3
    s [geo id=ca country=US subdivision=CA] 60 IN A 192.0.2.1
    s [geo id=tx country=US subdivision=TX] 60 IN A 192.0.2.4
    s [geo id=any country=*] 60 IN A 192.0.2.3
    n [geo id=ca country=US subdivision=CA] 60 IN A 192.0.2.1
    """

    static let places = TableLocator(places: [
        ("10.1.0.0/16", ClientLocation(continent: "NA", country: "US", subdivision: "CA")),
        ("10.2.0.0/16", ClientLocation(continent: "NA", country: "US")),
        ("10.3.0.0/16", ClientLocation(continent: "EU", country: "FR")),
    ])

    @Test func item7_unhealthyStateWalksUpToTheContinent() {
        var asker = Asker(Self.zone(Self.geo), health: FixedHealth(["h1": false]), locator: Self.places)
        #expect(Self.addresses(asker.ask("g.r53.test.", .a, client: "10.1.2.3")) == ["192.0.2.2"])
        asker.health = FixedHealth(["h1": false, "h2": false])
        #expect(Self.addresses(asker.ask("g.r53.test.", .a, client: "10.1.2.3")) == ["192.0.2.3"])
    }

    @Test func item8_allApplicableUnhealthyAnswersTheMostSpecific() {
        var asker = Asker(Self.zone(Self.geo), health: FixedHealth(["h1": false, "h2": false, "h3": false]), locator: Self.places)
        for _ in 0..<20 { #expect(Self.addresses(asker.ask("g.r53.test.", .a, client: "10.1.2.3")) == ["192.0.2.1"]) }
    }

    @Test func item9_usClientWithoutStateGetsTheDefaultOrNothing() {
        var asker = Asker(Self.zone(Self.geo), locator: Self.places)
        #expect(Self.addresses(asker.ask("s.r53.test.", .a, client: "10.2.0.1")) == ["192.0.2.3"])
        let none = asker.ask("n.r53.test.", .a, client: "10.2.0.1")
        #expect(none.rcode == .noError)
        #expect(none.answer.isEmpty)
        #expect(none.authority.first?.type == .soa)
    }

    @Test func item10_unmappedClientGetsTheDefaultOrNothing() {
        var asker = Asker(Self.zone(Self.geo), locator: Self.places)
        #expect(Self.addresses(asker.ask("s.r53.test.", .a, client: "203.0.113.9")) == ["192.0.2.3"])
        #expect(asker.ask("n.r53.test.", .a, client: "203.0.113.9").answer.isEmpty)
    }

    @Test func item11_clientSubnetDecidesOverTheSourceAddress() {
        var asker = Asker(Self.zone(Self.geo), locator: Self.places)
        let viaSubnet = asker.ask("s.r53.test.", .a, client: "10.3.0.1", subnet: "10.1.7.0/24")
        #expect(Self.addresses(viaSubnet) == ["192.0.2.1"])
        #expect(viaSubnet.clientSubnetScope == 16)
        #expect(Self.addresses(asker.ask("s.r53.test.", .a, client: "10.1.0.1")) == ["192.0.2.1"])
        #expect(Self.addresses(asker.ask("s.r53.test.", .a, client: "10.1.0.1", subnet: "10.3.0.0/24")) == ["192.0.2.3"])
        // A source prefix of 0 is not client information (RFC 7871 §7.1.2): the address decides.
        #expect(Self.addresses(asker.ask("s.r53.test.", .a, client: "10.1.0.1", subnet: "0.0.0.0/0")) == ["192.0.2.1"])
    }

    static let cidr = """
    $CIDR corp office 10.1.0.0/24 2001:db8:1::/48
    $CIDR corp lab 10.1.0.128/25
    c [cidr id=office collection=corp location=office health=h1] 60 IN A 192.0.2.1
    c [cidr id=lab collection=corp location=lab] 60 IN A 192.0.2.2
    c [cidr id=rest collection=corp location=*] 60 IN A 192.0.2.3
    """

    @Test func item12_cidrComparesTheSourcePrefixLength() {
        var asker = Asker(Self.zone(Self.cidr))
        let wide = asker.ask("c.r53.test.", .a, client: "192.0.2.200", subnet: "10.1.0.0/16")
        #expect(Self.addresses(wide) == ["192.0.2.3"])
        #expect(wide.clientSubnetScope == 16)
        let office = asker.ask("c.r53.test.", .a, client: "192.0.2.200", subnet: "10.1.0.0/24")
        #expect(Self.addresses(office) == ["192.0.2.1"])
        // The nested /25 belongs to another location, so /24 is all the answer can claim.
        #expect(office.clientSubnetScope == 24)
        let lab = asker.ask("c.r53.test.", .a, client: "10.1.0.200")
        #expect(Self.addresses(lab) == ["192.0.2.2"])
        #expect(Self.addresses(asker.ask("c.r53.test.", .a, client: "10.1.0.20")) == ["192.0.2.1"])
        #expect(Self.addresses(asker.ask("c.r53.test.", .a, client: "192.0.2.200", subnet: "2001:db8:1:2::/56")) == ["192.0.2.1"])
        asker.health = FixedHealth(["h1": false])
        #expect(Self.addresses(asker.ask("c.r53.test.", .a, client: "10.1.0.20")) == ["192.0.2.3"])
    }

    static let latency = """
    l [latency id=use1 region=us-east-1 health=h1] 60 IN A 192.0.2.1
    l [latency id=euw1 region=eu-west-1 health=h2] 60 IN A 192.0.2.2
    l [latency id=apse1 region=ap-southeast-1 health=h3] 60 IN A 192.0.2.3
    """
    static let rtt = TableLocator(latency: [("10.0.0.0/8", ["us-east-1": 80, "eu-west-1": 10, "ap-southeast-1": 200])])

    @Test func item13_latencyFallsToTheNextBestThenTheBest() {
        var asker = Asker(Self.zone(Self.latency), locator: Self.rtt)
        #expect(Self.addresses(asker.ask("l.r53.test.", .a, client: "10.9.9.9")) == ["192.0.2.2"])
        asker.health = FixedHealth(["h2": false])
        #expect(Self.addresses(asker.ask("l.r53.test.", .a, client: "10.9.9.9")) == ["192.0.2.1"])
        asker.health = FixedHealth(["h1": false, "h2": false, "h3": false])
        #expect(Self.addresses(asker.ask("l.r53.test.", .a, client: "10.9.9.9")) == ["192.0.2.2"])
        // An unlocated client keeps the zone file's order.
        asker.health = AllHealthy()
        #expect(Self.addresses(asker.ask("l.r53.test.", .a, client: "203.0.113.1")) == ["192.0.2.1"])
    }

    @Test func item14_multivalueReturnsAtMostEight() {
        let lines = (1...10).map { "m [multivalue id=v\($0) health=h\($0 % 2 == 0 ? 1 : 2)] 60 IN A 192.0.2.\($0)" }
        var asker = Asker(Self.zone(lines.joined(separator: "\n")))
        var seen: Set<String> = []
        for _ in 0..<50 {
            let answer = Self.addresses(asker.ask("m.r53.test.", .a))
            #expect(answer.count == 8)
            seen.formUnion(answer)
        }
        #expect(seen.count == 10)
        asker.health = FixedHealth(["h1": false])
        for _ in 0..<20 { #expect(Self.addresses(asker.ask("m.r53.test.", .a)) == ["192.0.2.1", "192.0.2.3", "192.0.2.5", "192.0.2.7", "192.0.2.9"]) }
        asker.health = FixedHealth(["h1": false, "h2": false])
        for _ in 0..<20 { #expect(Self.addresses(asker.ask("m.r53.test.", .a)).count == 8) }
    }

    /// The chosen sets are one RRset in the answer: a record two sets share appears once,
    /// and the RRset has the lowest TTL of the sets (RFC 2181 §5.2).
    @Test func multivalueSetsJoinIntoOneRRsetWithTheLowestTTL() {
        var asker = Asker(Self.zone("""
            j [multivalue id=a] 300 IN A 192.0.2.1
            j [multivalue id=a] 300 IN A 192.0.2.2
            j [multivalue id=b] 60 IN A 192.0.2.2
            j [multivalue id=b] 60 IN A 192.0.2.3
            j [multivalue id=c] 120 IN A 192.0.2.4
            """))
        let response = asker.ask("j.r53.test.", .a)
        #expect(response.answer.count == 1)
        #expect(response.answer.first?.ttl == 60)
        #expect(response.answer.first?.records.count == 4)
        #expect(Self.addresses(response) == ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"])
        #expect(response.routedSelection.count == 3)
    }

    static let aliases = """
    target [weighted id=a weight=1 health=h1] 30 IN A 192.0.2.1
    target [weighted id=b weight=1 health=h2] 30 IN A 192.0.2.2
    backup 45 IN A 192.0.2.9
    eth [failover id=p role=primary evaluate-target-health=true] 60 IN ALIAS target
    eth [failover id=s role=secondary] 60 IN ALIAS backup
    noeth [failover id=p role=primary] 60 IN ALIAS target
    noeth [failover id=s role=secondary] 60 IN ALIAS backup
    both [failover id=p role=primary health=h3 evaluate-target-health=true] 60 IN ALIAS target
    both [failover id=s role=secondary] 60 IN ALIAS backup
    """

    @Test func item15_aliasToAGroupWithOneHealthyMemberIsHealthy() {
        var asker = Asker(Self.zone(Self.aliases), health: FixedHealth(["h1": false]))
        #expect(Self.addresses(asker.ask("eth.r53.test.", .a)) == ["192.0.2.2"])
        asker.health = FixedHealth(["h1": false, "h2": false])
        #expect(Self.addresses(asker.ask("eth.r53.test.", .a)) == ["192.0.2.9"])
    }

    @Test func item16_aliasWithoutEvaluationStaysInItsBranch() {
        var asker = Asker(Self.zone(Self.aliases), health: FixedHealth(["h1": false, "h2": false]))
        let answer = Self.addresses(asker.ask("noeth.r53.test.", .a))
        #expect(answer == ["192.0.2.1"] || answer == ["192.0.2.2"])
    }

    @Test func item17_aliasCheckAndTargetHealthMustBothPass() {
        var asker = Asker(Self.zone(Self.aliases), health: FixedHealth(["h3": false]))
        #expect(Self.addresses(asker.ask("both.r53.test.", .a)) == ["192.0.2.9"])
        asker.health = AllHealthy()
        #expect(Self.addresses(asker.ask("both.r53.test.", .a)).isSubset(of: ["192.0.2.1", "192.0.2.2"]))
    }

    @Test func item18_aliasTakesTheTargetTTL() {
        var asker = Asker(Self.zone(Self.aliases), health: FixedHealth(["h3": false]))
        let response = asker.ask("both.r53.test.", .a)
        #expect(response.answerLines == ["both.r53.test. 45 IN A 192.0.2.9"])
        let routed = asker.ask("eth.r53.test.", .a)
        #expect(routed.answer.first?.ttl == 30)
    }

    @Test func item25_negativeAnswers() {
        var asker = Asker(Self.zone(Self.failover))
        let nodata = asker.ask("f.r53.test.", .aaaa)
        #expect(nodata.rcode == .noError && nodata.answer.isEmpty && nodata.authority.first?.type == .soa)
        let nx = asker.ask("missing.r53.test.", .a)
        #expect(nx.rcode == .nxDomain && nx.authority.first?.ttl == 60)
    }

    @Test func routedAnswersDoNotDependOnTheClientHaveScopeZero() {
        var asker = Asker(Self.zone(Self.failover))
        #expect(asker.ask("f.r53.test.", .a, subnet: "10.1.0.0/24").clientSubnetScope == 0)
    }

    @Test func explainTracesEachStep() {
        var asker = Asker(Self.zone(Self.failover), health: FixedHealth(["h1": false]))
        let (response, steps) = asker.explain("f.r53.test.", .a)
        #expect(Self.addresses(response) == ["192.0.2.2"])
        #expect(steps.contains(TraceStep(.skippedUnhealthy, setID: "p", "primary is unhealthy")))
        #expect(steps.contains(TraceStep(.chosen, setID: "s", "secondary is healthy")))
    }
}
