import Authority
import DNSWire
import Routing
import Testing
import Zones

/// A zone with every routing policy (latency, geolocation with subdivisions, CIDR,
/// failover, weighted, multivalue, ALIAS with evaluate-target-health) and a population of
/// client networks that tells them apart, for the what-if tests.
enum WhatIfFixtures {
    static let zone = """
        $ORIGIN example.test.
        $TTL 300
        @      IN SOA ns1 hostmaster 1 3600 900 1209600 60
               IN NS  ns1
        ns1    IN A   192.0.2.53
        $HEALTHCHECK use1 http://127.0.0.1:9/ region=us-east-1
        $HEALTHCHECK euw1 http://127.0.0.1:9/ region=eu-west-1
        $HEALTHCHECK apse1 http://127.0.0.1:9/ region=ap-southeast-1
        $HEALTHCHECK use1b http://127.0.0.1:9/ region=us-east-1
        $HEALTHCHECK other http://127.0.0.1:9/ region=sa-east-1
        $CIDR offices hq 198.18.0.0/16
        $CIDR offices lab 198.18.7.0/24
        $CIDR offices v6 2001:db8:1::/48
        lat   [latency id=use1 region=us-east-1 health=use1] 60 IN A 192.0.2.1
        lat   [latency id=euw1 region=eu-west-1 health=euw1] 60 IN A 192.0.2.2
        lat   [latency id=apse1 region=ap-southeast-1 health=apse1] 60 IN A 192.0.2.3
        lat2  [latency id=use1 region=us-east-1 health=use1b] 60 IN AAAA 2001:db8::1
        lat2  [latency id=euw1 region=eu-west-1 health=euw1] 60 IN AAAA 2001:db8::2
        geo   [geo id=ca country=US subdivision=CA health=use1] 60 IN A 192.0.2.10
        geo   [geo id=tx country=US subdivision=TX] 60 IN A 192.0.2.11
        geo   [geo id=us country=US health=use1b] 60 IN A 192.0.2.12
        geo   [geo id=de country=DE health=euw1] 60 IN A 192.0.2.13
        geo   [geo id=eu continent=EU health=euw1] 60 IN A 192.0.2.14
        geo   [geo id=any country=* health=apse1] 60 IN A 192.0.2.15
        ip    [cidr id=hq collection=offices location=hq health=use1] 60 IN A 192.0.2.20
        ip    [cidr id=lab collection=offices location=lab] 60 IN A 192.0.2.21
        ip    [cidr id=rest collection=offices location=* health=euw1] 60 IN A 192.0.2.22
        fo    [failover id=p role=primary health=use1] 60 IN A 192.0.2.30
        fo    [failover id=s role=secondary health=euw1] 60 IN A 192.0.2.31
        w     [weighted id=a weight=3 health=use1] 60 IN A 192.0.2.40
        w     [weighted id=b weight=5 health=euw1] 60 IN A 192.0.2.41
        w     [weighted id=c weight=7 health=apse1] 60 IN A 192.0.2.42
        w     [weighted id=z weight=0] 60 IN A 192.0.2.43
        mv    [multivalue id=m1 health=use1] 60 IN A 192.0.2.50
        mv    [multivalue id=m2 health=euw1] 60 IN A 192.0.2.51
        mv    [multivalue id=m3 health=apse1] 60 IN A 192.0.2.52
        mv    [multivalue id=m4] 60 IN A 192.0.2.53
        app   [failover id=p role=primary evaluate-target-health=true] 60 IN ALIAS lat
        app   [failover id=s role=secondary] 60 IN ALIAS geo
        www   [weighted id=one weight=1 evaluate-target-health=true] 60 IN ALIAS geo
        www   [weighted id=two weight=2 health=other] 60 IN ALIAS fo
        plain 60 IN A 192.0.2.99

        """

    static func zones() -> ZoneSet { ZoneFixtures.zoneSet(zone, origin: "example.test.") }

    /// Forty networks: places across continents and US states (some sharing a place with
    /// different latencies, some with equal or missing latencies), CIDR offices, IPv6 and
    /// an unlocated client.
    static let networks: [(prefix: String, place: ClientLocation?, latency: [String: Double])] = {
        var rows: [(String, ClientLocation?, [String: Double])] = []
        let places: [ClientLocation?] = [
            ClientLocation(continent: "NA", country: "US", subdivision: "CA"),
            ClientLocation(continent: "NA", country: "US", subdivision: "TX"),
            ClientLocation(continent: "NA", country: "US", subdivision: "NY"),
            ClientLocation(continent: "EU", country: "DE"),
            ClientLocation(continent: "EU", country: "FR"),
            ClientLocation(continent: "AS", country: "JP"),
            ClientLocation(continent: "OC", country: "AU"),
            nil,
        ]
        let latencies: [[String: Double]] = [
            ["us-east-1": 10, "eu-west-1": 80, "ap-southeast-1": 150],
            ["us-east-1": 90, "eu-west-1": 12, "ap-southeast-1": 160],
            ["us-east-1": 170, "eu-west-1": 150, "ap-southeast-1": 20],
            ["us-east-1": 50, "eu-west-1": 50, "ap-southeast-1": 90],
            ["us-east-1": 40, "ap-southeast-1": 30],
            [:],
        ]
        for i in 0..<36 {
            rows.append(("198.\(18 + (i % 3 == 0 ? 0 : 1)).\(i % 9 == 0 ? 7 : i).0/24", places[i % places.count], latencies[(i / 2) % latencies.count]))
        }
        rows.append(("2001:db8:1:5::/64", ClientLocation(continent: "EU", country: "DE"), ["eu-west-1": 5, "us-east-1": 70]))
        rows.append(("2001:db8:2::/48", ClientLocation(continent: "NA", country: "US", subdivision: "CA"), ["us-east-1": 5]))
        rows.append(("203.0.113.0/24", nil, [:]))
        rows.append(("192.0.2.128/25", ClientLocation(continent: "SA", country: "BR"), ["us-east-1": 100, "eu-west-1": 100]))
        return rows
    }()

    static var clients: [ClientNetwork] {
        networks.enumerated().map { ClientNetwork(name: "n\($0.offset)", prefix: IPPrefix($0.element.prefix)!) }
    }

    static var locator: TableLocator {
        TableLocator(places: networks.compactMap { row in row.place.map { (row.prefix, $0) } },
                     latency: networks.map { ($0.prefix, $0.latency) })
    }

    /// Every check of `regions` down, as an evacuation would make them.
    static func evacuated(_ regions: Set<String>, zones: ZoneSet) -> FixedHealth {
        var states: [String: Bool] = [:]
        for (id, check) in zones.healthChecks where regions.contains(check.region ?? "") { states[id] = false }
        return FixedHealth(states)
    }
}
