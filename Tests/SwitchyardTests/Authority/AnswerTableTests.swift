import Authority
import DNSWire
import Testing
import Zones

/// One query and the whole response expected for it (CoreDNS lookup_test.go style).
struct AnswerCase: CustomTestStringConvertible, Sendable {
    var name: String
    var type: RecordType
    var rcode: ResponseCode = .noError
    var authoritative = true
    var answer: [String] = []
    var authority: [String] = []
    var additional: [String] = []

    var testDescription: String { "\(name) \(type)" }
}

let exampleZone = """
$ORIGIN example.test.
$TTL 3600
@        IN SOA ns1 hostmaster 2026010101 7200 900 1209600 300
@        IN NS  ns1
@        IN NS  ns.other.test.
@        IN MX  10 mail
@        IN MX  20 mx.other.test.
@        IN TXT "apex"
ns1      IN A   192.0.2.53
mail     IN A   192.0.2.25
mail     IN AAAA 2001:db8::25
www      IN A   192.0.2.80
www      IN A   192.0.2.81
alias    IN CNAME www
chain    IN CNAME alias
dangling IN CNAME missing
outside  IN CNAME www.other.test.
a.b.c    IN A   192.0.2.1
_sip._udp IN SRV 0 5 5060 sip
sip      IN A   192.0.2.60
*.wild   IN A   192.0.2.99
*.wild   IN MX  10 mail
host.wild IN TXT "exists"
*.cn     IN CNAME www
sub      IN NS  ns1.sub
sub      IN NS  ns.other.test.
ns1.sub  IN A   192.0.2.153
ns1.sub  IN AAAA 2001:db8::153
"""

@Suite struct AnswerTableTests {
    static let soa = "example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 2026010101 7200 900 1209600 300"

    static let cases: [AnswerCase] = [
        AnswerCase(name: "www.example.test.", type: .a,
                   answer: ["www.example.test. 3600 IN A 192.0.2.80", "www.example.test. 3600 IN A 192.0.2.81"]),
        AnswerCase(name: "WWW.Example.TEST.", type: .a,
                   answer: ["WWW.Example.TEST. 3600 IN A 192.0.2.80", "WWW.Example.TEST. 3600 IN A 192.0.2.81"]),
        AnswerCase(name: "example.test.", type: .soa,
                   answer: ["example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2026010101 7200 900 1209600 300"]),
        AnswerCase(name: "example.test.", type: .ns,
                   answer: ["example.test. 3600 IN NS ns1.example.test.", "example.test. 3600 IN NS ns.other.test."],
                   additional: ["ns1.example.test. 3600 IN A 192.0.2.53"]),
        AnswerCase(name: "example.test.", type: .mx,
                   answer: ["example.test. 3600 IN MX 10 mail.example.test.", "example.test. 3600 IN MX 20 mx.other.test."],
                   additional: ["mail.example.test. 3600 IN A 192.0.2.25", "mail.example.test. 3600 IN AAAA 2001:db8::25"]),
        // NODATA: the name exists, the type does not (RFC 2308 §2.2), SOA TTL = min(TTL, MINIMUM).
        AnswerCase(name: "www.example.test.", type: .aaaa, authority: [soa]),
        // NXDOMAIN (RFC 2308 §2.1).
        AnswerCase(name: "nope.example.test.", type: .a, rcode: .nxDomain, authority: [soa]),
        // Empty non-terminals exist (RFC 8020): NODATA, not NXDOMAIN.
        AnswerCase(name: "b.c.example.test.", type: .a, authority: [soa]),
        AnswerCase(name: "c.example.test.", type: .txt, authority: [soa]),
        AnswerCase(name: "x.a.b.c.example.test.", type: .a, rcode: .nxDomain, authority: [soa]),
        // CNAME chains inside the zone (RFC 1034 §4.3.2 step 3a).
        AnswerCase(name: "alias.example.test.", type: .a,
                   answer: ["alias.example.test. 3600 IN CNAME www.example.test.",
                            "www.example.test. 3600 IN A 192.0.2.80", "www.example.test. 3600 IN A 192.0.2.81"]),
        AnswerCase(name: "chain.example.test.", type: .a,
                   answer: ["chain.example.test. 3600 IN CNAME alias.example.test.",
                            "alias.example.test. 3600 IN CNAME www.example.test.",
                            "www.example.test. 3600 IN A 192.0.2.80", "www.example.test. 3600 IN A 192.0.2.81"]),
        AnswerCase(name: "alias.example.test.", type: .cname, answer: ["alias.example.test. 3600 IN CNAME www.example.test."]),
        // A CNAME to a missing name: the rcode is the last name's (RFC 6604 §3).
        AnswerCase(name: "dangling.example.test.", type: .a, rcode: .nxDomain,
                   answer: ["dangling.example.test. 3600 IN CNAME missing.example.test."], authority: [soa]),
        AnswerCase(name: "alias.example.test.", type: .txt,
                   answer: ["alias.example.test. 3600 IN CNAME www.example.test."], authority: [soa]),
        // A CNAME out of the served zones ends the chain.
        AnswerCase(name: "outside.example.test.", type: .a, answer: ["outside.example.test. 3600 IN CNAME www.other.test."]),
        // Wildcards (RFC 4592 §3.3.1): synthesised under the query name.
        AnswerCase(name: "any.wild.example.test.", type: .a, answer: ["any.wild.example.test. 3600 IN A 192.0.2.99"]),
        AnswerCase(name: "deep.any.wild.example.test.", type: .a, answer: ["deep.any.wild.example.test. 3600 IN A 192.0.2.99"]),
        AnswerCase(name: "any.wild.example.test.", type: .mx, answer: ["any.wild.example.test. 3600 IN MX 10 mail.example.test."],
                   additional: ["mail.example.test. 3600 IN A 192.0.2.25", "mail.example.test. 3600 IN AAAA 2001:db8::25"]),
        AnswerCase(name: "any.wild.example.test.", type: .txt, authority: [soa]),
        // An existing name blocks the wildcard (RFC 4592 §2.2.1), and so do its descendants' encloser.
        AnswerCase(name: "host.wild.example.test.", type: .a, authority: [soa]),
        AnswerCase(name: "x.host.wild.example.test.", type: .a, rcode: .nxDomain, authority: [soa]),
        // The `*` label queried literally matches the wildcard node itself.
        AnswerCase(name: "*.wild.example.test.", type: .a, answer: ["*.wild.example.test. 3600 IN A 192.0.2.99"]),
        AnswerCase(name: "wild.example.test.", type: .a, authority: [soa]),
        // A wildcard CNAME is synthesised and followed.
        AnswerCase(name: "x.cn.example.test.", type: .a,
                   answer: ["x.cn.example.test. 3600 IN CNAME www.example.test.",
                            "www.example.test. 3600 IN A 192.0.2.80", "www.example.test. 3600 IN A 192.0.2.81"]),
        // Referrals: AA=0, NS in authority, in-bailiwick glue (RFC 1034 §4.3.2 step 3b).
        AnswerCase(name: "host.sub.example.test.", type: .a, authoritative: false,
                   authority: ["sub.example.test. 3600 IN NS ns1.sub.example.test.", "sub.example.test. 3600 IN NS ns.other.test."],
                   additional: ["ns1.sub.example.test. 3600 IN A 192.0.2.153", "ns1.sub.example.test. 3600 IN AAAA 2001:db8::153"]),
        AnswerCase(name: "sub.example.test.", type: .ns, authoritative: false,
                   authority: ["sub.example.test. 3600 IN NS ns1.sub.example.test.", "sub.example.test. 3600 IN NS ns.other.test."],
                   additional: ["ns1.sub.example.test. 3600 IN A 192.0.2.153", "ns1.sub.example.test. 3600 IN AAAA 2001:db8::153"]),
        AnswerCase(name: "ns1.sub.example.test.", type: .a, authoritative: false,
                   authority: ["sub.example.test. 3600 IN NS ns1.sub.example.test.", "sub.example.test. 3600 IN NS ns.other.test."],
                   additional: ["ns1.sub.example.test. 3600 IN A 192.0.2.153", "ns1.sub.example.test. 3600 IN AAAA 2001:db8::153"]),
        // DS is answered by the parent side of the cut (RFC 4035 §3.1.4.1): here NODATA.
        AnswerCase(name: "sub.example.test.", type: .ds, authority: [soa]),
        // SRV targets' addresses go into the additional section.
        AnswerCase(name: "_sip._udp.example.test.", type: .srv, answer: ["_sip._udp.example.test. 3600 IN SRV 0 5 5060 sip.example.test."],
                   additional: ["sip.example.test. 3600 IN A 192.0.2.60"]),
        // Outside every served zone.
        AnswerCase(name: "example.org.", type: .a, rcode: .refused, authoritative: false),
        AnswerCase(name: "test.", type: .a, rcode: .refused, authoritative: false),
    ]

    @Test(arguments: cases)
    func answersMatchRFC1034(_ expected: AnswerCase) {
        var asker = Asker(ZoneFixtures.zoneSet(exampleZone, origin: "example.test."))
        let response = asker.ask(expected.name, expected.type)
        #expect(response.rcode == expected.rcode)
        #expect(response.authoritative == expected.authoritative)
        #expect(response.answerLines.sorted() == expected.answer.sorted())
        #expect(response.authorityLines.sorted() == expected.authority.sorted())
        #expect(response.additionalLines.sorted() == expected.additional.sorted())
    }

    /// RFC 8482 §4.2: one RRset answers ANY (the lowest type, as Knot does).
    @Test func anyReturnsOneRRSetOfTheName() {
        var asker = Asker(ZoneFixtures.zoneSet(exampleZone, origin: "example.test."))
        let response = asker.ask("mail.example.test.", .any)
        #expect(response.answerLines == ["mail.example.test. 3600 IN A 192.0.2.25"])
        #expect(asker.ask("nope.example.test.", .any).rcode == .nxDomain)
    }

    @Test func longestMatchingZoneAnswers() {
        let zones = ZoneFixtures.zoneSet([
            ("example.test.", exampleZone),
            ("child.example.test.", """
            $TTL 60
            @ IN SOA ns1.child.example.test. h.child.example.test. 1 2 3 4 5
            @ IN NS ns1
            ns1 IN A 192.0.2.7
            www IN A 192.0.2.8
            """),
        ])
        var asker = Asker(zones)
        #expect(asker.ask("www.child.example.test.", .a).answerLines == ["www.child.example.test. 60 IN A 192.0.2.8"])
        let negative = asker.ask("nx.child.example.test.", .a)
        #expect(negative.rcode == .nxDomain)
        #expect(negative.authorityLines == ["child.example.test. 5 IN SOA ns1.child.example.test. h.child.example.test. 1 2 3 4 5"])
    }

    @Test func cnameChainsCrossServedZones() {
        let zones = ZoneFixtures.zoneSet([
            ("example.test.", exampleZone),
            ("other.test.", """
            $TTL 120
            @ IN SOA ns.other.test. h.other.test. 1 2 3 4 600
            @ IN NS ns
            ns IN A 192.0.2.9
            www IN A 192.0.2.10
            """),
        ])
        var asker = Asker(zones)
        let response = asker.ask("outside.example.test.", .a)
        #expect(response.answerLines == ["outside.example.test. 3600 IN CNAME www.other.test.", "www.other.test. 120 IN A 192.0.2.10"])
        let missing = asker.ask("outside.example.test.", .aaaa)
        #expect(missing.authorityLines == ["other.test. 120 IN SOA ns.other.test. h.other.test. 1 2 3 4 600"])
    }

    @Test func cnameLoopsStopWithoutRepeatingRecords() {
        var asker = Asker(ZoneFixtures.zoneSet("""
        $TTL 60
        @ IN SOA ns h 1 2 3 4 5
        @ IN NS ns
        ns IN A 192.0.2.1
        a IN CNAME b
        b IN CNAME a
        """, origin: "loop.test."))
        let response = asker.ask("a.loop.test.", .a)
        #expect(response.answerLines == ["a.loop.test. 60 IN CNAME b.loop.test.", "b.loop.test. 60 IN CNAME a.loop.test."])
        #expect(response.rcode == .noError)
    }
}
