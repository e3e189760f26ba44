import DNSWire
import ZoneFile
import Zones

/// The zones the query fuzz target answers from: the region-evacuation drill zone's
/// shapes (every routing policy, ALIAS at the apex, wildcards, a delegation with glue,
/// CNAME chains and a loop, every typed RR type and an RFC 3597 one), a child zone served
/// here too, and a reverse zone.
enum FuzzZones {
    static let zoneSet: ZoneSet = {
        let zones = texts.map { origin, text -> Zone in
            let name = try! DomainName(origin, origin: .root)
            let parsed = ZoneFileParser().parse(file: "\(origin)zone", bytes: Array(text.utf8), fileOrigin: name)
            let (zone, diagnostics) = ZoneLoader().load(parsed)
            guard let zone else { fatalError("fuzz zone \(origin) does not load: \(diagnostics.map(\.description))") }
            return zone
        }
        let problems = ZoneSetValidator.validate(zones).filter { $0.diagnostic.severity == .error }
        precondition(problems.isEmpty, "fuzz zones do not validate: \(problems.map(\.diagnostic.description))")
        return ZoneSet(zones: zones)
    }()

    static let texts: [(String, String)] = [("drill.test.", drill), ("lab.drill.test.", lab), ("2.0.192.in-addr.arpa.", reverse)]

    static let drill = ##"""
        $ORIGIN drill.test.
        $TTL 300
        @       IN  SOA   ns1.drill.test. hostmaster.drill.test. ( 2026120201 1h 15m 2w 60 )
                IN  NS    ns1
                IN  NS    ns2
                IN  MX    10 mx1
                IN  MX    20 mx2
                IN  TXT   "v=spf1 mx -all"
                IN  SPF   "v=spf1 mx -all"
                IN  CAA   0 issue "letsencrypt.org"
                IN  CAA   128 iodef "mailto:security@drill.test"
                ALIAS     app
        ns1     IN  A     127.0.0.1
        ns2     IN  A     127.0.0.1
                IN  AAAA  ::1
        mx1     IN  A     192.0.2.25
        mx2     IN  A     198.51.100.25
        app-use1   60 IN A     127.0.10.1
        app-use1   60 IN AAAA  2001:db8:10::1
        app-euw1   60 IN A     127.0.20.1
        app-euw1   60 IN AAAA  2001:db8:20::1
        app-apse1  60 IN A     127.0.30.1
        app-apse1  60 IN AAAA  2001:db8:30::1
        $HEALTHCHECK use1  http://127.0.10.1:8080/health interval=5s timeout=2s threshold=2 region=us-east-1
        $HEALTHCHECK euw1  http://127.0.20.1:8080/health interval=5s timeout=2s threshold=2 region=eu-west-1
        $HEALTHCHECK apse1 tcp://127.0.30.1:8080 interval=5s timeout=2s threshold=2 region=ap-southeast-1
        $HEALTHCHECK any-region calculated children=use1,euw1,apse1 min-healthy=1
        app  [latency id=use1  region=us-east-1      health=use1 evaluate-target-health=true]  60 IN ALIAS app-use1
        app  [latency id=euw1  region=eu-west-1      health=euw1]  60 IN ALIAS app-euw1
        app  [latency id=apse1 region=ap-southeast-1 health=apse1] 60 IN ALIAS app-apse1
        api  [failover id=primary role=primary health=use1]  60 IN A 127.0.10.1
        api  [failover id=standby role=secondary health=euw1] 60 IN A 127.0.20.1
        www  [weighted id=blue  weight=90 health=use1] 60 IN A 127.0.10.1
        www  [weighted id=green weight=10 health=euw1] 60 IN A 127.0.20.1
        geo  [geo id=europe  continent=EU] 60 IN CNAME app-euw1
        geo  [geo id=asia    continent=AS] 60 IN CNAME app-apse1
        geo  [geo id=virginia country=US subdivision=VA] 60 IN CNAME app-use1
        geo  [geo id=default country=*]    60 IN CNAME app-use1
        mv   [multivalue id=use1  health=use1]  60 IN A 127.0.10.1
        mv   [multivalue id=euw1  health=euw1]  60 IN A 127.0.20.1
        mv   [multivalue id=apse1 health=apse1] 60 IN A 127.0.30.1
        $CIDR offices hq 10.1.0.0/16 2001:db8:100::/48
        ip   [cidr id=hq   collection=offices location=hq] 60 IN A 127.0.20.1
        ip   [cidr id=rest collection=offices location=*]  60 IN A 127.0.10.1
        status     IN  TXT   "drill.test is a test domain" "see Examples/region-evacuation" ""
        docs       IN  CNAME www
        chain1     IN  CNAME chain2
        chain2     IN  CNAME chain3.drill.test.
        chain3     IN  CNAME app
        loop1      IN  CNAME loop2
        loop2      IN  CNAME loop1
        out        IN  CNAME elsewhere.example.
        _sip._tcp  IN  SRV   10 60 5060 sip
        sip        IN  A     192.0.2.60
        ptr        IN  PTR   sip.drill.test.
        *.preview  IN  A     192.0.2.80
        *.preview  IN  TXT   "wildcard preview host"
        *.cn       IN  CNAME docs
        opaque     IN  TYPE65280 \# 4 0a0b0c0d
        big        IN  TXT   "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111" "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
        big        IN  TXT   "22222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222" "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
        lab        IN  NS    ns1.lab
        lab        IN  NS    ns.elsewhere.example.
        ns1.lab    IN  A     192.0.2.53
        ns1.lab    IN  AAAA  2001:db8::53
        far        IN  NS    ns1.far
        ns1.far    IN  A     192.0.2.54
        """##

    static let lab = #"""
        $ORIGIN lab.drill.test.
        $TTL 120
        @     IN SOA ns1 hostmaster ( 1 3600 600 86400 30 )
              IN NS  ns1
        ns1   IN A   192.0.2.53
        www   IN CNAME app.drill.test.
        *     IN AAAA 2001:db8::80
        """#

    static let reverse = #"""
        $ORIGIN 2.0.192.in-addr.arpa.
        $TTL 3600
        @    IN SOA ns1.drill.test. hostmaster.drill.test. 1 3600 600 86400 60
             IN NS  ns1.drill.test.
        25   IN PTR mx1.drill.test.
        60   IN PTR sip.drill.test.
        """#
}
