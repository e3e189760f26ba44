import DNSWire
import Testing
import Zones
import ZoneInterchange

@Suite struct ZoneFileDocumentTests {
    static let origin: DomainName = "example.test."

    static func document() throws -> ZoneFileDocument {
        var document = ZoneFileDocument(origin: origin, headerComments: ["made from a test\nwith two lines"])
        document.healthChecks = [
            .init(id: "use1", target: "http://127.0.0.1:8080/health",
                  attributes: [.init("interval", "10s"), .init("match", "all \"OK\""), .init("inverted")], comment: "Route 53 id use1"),
            .init(id: "a", target: "tcp://127.0.0.1:5432"),
        ]
        document.cidrLocations = [.init(collection: "corp", location: "hq", prefixes: ["10.1.0.0/16", "2001:db8::/32"])]
        document.records = [
            .init(owner: try DomainName("www", origin: origin), routing: .init(policy: "weighted", id: "green", attributes: [.init("weight", "10")]),
                  ttl: 30, type: "A", data: "192.0.2.21"),
            .init(owner: try DomainName("www", origin: origin), routing: .init(policy: "weighted", id: "blue", attributes: [.init("weight", "90"), .init("health", "use1")]),
                  ttl: 30, type: "A", data: "192.0.2.20", comment: "set blue"),
            .init(owner: origin, ttl: 3600, type: "NS", data: "ns.example.test."),
            .init(owner: try DomainName("ns", origin: origin), ttl: 3600, type: "A", data: "127.0.0.1"),
            .init(owner: origin, ttl: 3600, type: "SOA", data: "ns.example.test. hostmaster.example.test. 1 3600 900 1209600 60"),
            .init(owner: try DomainName("ip", origin: origin), routing: .init(policy: "cidr", id: "hq", attributes: [.init("collection", "corp"), .init("location", "hq")]),
                  ttl: 60, type: "A", data: "10.1.0.1"),
            .init(owner: try DomainName("ip", origin: origin), routing: .init(policy: "cidr", id: "rest", attributes: [.init("collection", "corp"), .init("location", "*")]),
                  ttl: 60, type: "A", data: "192.0.2.40"),
            .init(owner: "elsewhere.test.", ttl: 60, type: "TXT", data: "\"out of zone\""),
        ]
        document.records.removeLast()
        return document
    }

    @Test func rendersInOneStableOrderWhateverTheInputOrder() throws {
        let document = try Self.document()
        var shuffled = document
        shuffled.records.reverse()
        shuffled.healthChecks.reverse()
        #expect(document.render() == shuffled.render())
        #expect(document.render() == """
            ; made from a test with two lines
            $ORIGIN example.test.

            $HEALTHCHECK a tcp://127.0.0.1:5432
            ; Route 53 id use1
            $HEALTHCHECK use1 http://127.0.0.1:8080/health interval=10s match="all \\"OK\\"" inverted

            $CIDR corp hq 10.1.0.0/16 2001:db8::/32

            @                                            3600 IN SOA ns.example.test. hostmaster.example.test. 1 3600 900 1209600 60
            @                                            3600 IN NS ns.example.test.
            ip [cidr id=hq collection=corp location=hq]  60 IN A 10.1.0.1
            ip [cidr id=rest collection=corp location=*] 60 IN A 192.0.2.40
            ns                                           3600 IN A 127.0.0.1
            www [weighted id=blue weight=90 health=use1] 30 IN A 192.0.2.20 ; set blue
            www [weighted id=green weight=10]            30 IN A 192.0.2.21

            """)
    }

    @Test func theRenderedFilePassesTheLoaderWithEveryConstructIntact() throws {
        let text = try Self.document().render()
        let load = try ZoneSetLoader().load(from: InMemoryZoneSource(version: nil, files: ["example.test.zone": text]))
        let report = try #require(load.reports.first)
        #expect(report.errors.isEmpty, "\(report.errors)")
        let zone = try #require(report.zone)
        #expect(zone.healthChecks.map(\.id).sorted() == ["a", "use1"])
        let www = try #require(zone.trie.find(try DomainName("www", origin: Self.origin)))
        #expect(zone.trie.node(www).groups.count == 1)
    }

    @Test func ownersOutsideTheOriginStayAbsolute() throws {
        let document = ZoneFileDocument(origin: Self.origin)
        #expect(document.relative("a.b.example.test.") == "a.b")
        #expect(document.relative("example.test.") == "@")
        #expect(document.relative("other.test.") == "other.test.")
        #expect(ZoneFileDocument.quotedIfNeeded("a b\u{7}") == "\"a b\\007\"")
        #expect(ZoneFileDocument.quotedIfNeeded("") == "\"\"")
    }
}
