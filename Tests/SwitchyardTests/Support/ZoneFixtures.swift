import Authority
import DNSWire
import Routing
import Testing
import ZoneFile
import Zones

/// Builds zones from zone-file text in memory, failing the test with every diagnostic
/// when the text does not load.
enum ZoneFixtures {
    static func zone(_ text: String, origin: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Zone? {
        let fileOrigin = try! DomainName(origin, origin: .root)
        let parsed = ZoneFileParser().parse(file: "\(origin)zone", bytes: Array(text.utf8), fileOrigin: fileOrigin)
        let (zone, diagnostics) = ZoneLoader().load(parsed)
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "zone \(origin) did not load: \(errors.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
        return zone
    }

    /// Several zones as one set, checked together like a real load.
    static func zoneSet(_ zones: [(origin: String, text: String)], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ZoneSet {
        let loaded = zones.compactMap { zone($0.text, origin: $0.origin, sourceLocation: sourceLocation) }
        let problems = ZoneSetValidator.validate(loaded).filter { $0.diagnostic.severity == .error }
        #expect(problems.isEmpty, "zone set does not validate: \(problems.map(\.diagnostic.description))", sourceLocation: sourceLocation)
        return ZoneSet(zones: loaded)
    }

    static func zoneSet(_ text: String, origin: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ZoneSet {
        zoneSet([(origin, text)], sourceLocation: sourceLocation)
    }
}

/// Asks `Authority` a question in memory, as the server would.
struct Asker {
    var zones: ZoneSet
    var health: any HealthView = AllHealthy()
    var locator: any ClientLocator = NoLocator()
    var random = SplitMix64(seed: 42)

    init(_ zones: ZoneSet, health: any HealthView = AllHealthy(), locator: any ClientLocator = NoLocator()) {
        self.zones = zones
        self.health = health
        self.locator = locator
    }

    mutating func ask(_ name: String, _ type: RecordType, client: String = "192.0.2.1", subnet: String? = nil) -> Response {
        let question = Question(name: try! DomainName(name, origin: .root), type: type)
        var context = ClientContext(source: IPAddress(client)!)
        if let subnet, let prefix = IPPrefix(subnet) {
            context.subnet = ClientSubnet(address: prefix.address, sourcePrefixLength: UInt8(prefix.length))
        }
        return Authority(locator: locator).answer(question, client: context, snapshot: Authority.Snapshot(zones: zones, health: health), random: &random)
    }

    mutating func explain(_ name: String, _ type: RecordType, client: String = "192.0.2.1") -> (Response, [TraceStep]) {
        let question = Question(name: try! DomainName(name, origin: .root), type: type)
        var trace = TraceLog()
        let response = Authority(locator: locator).answer(question, client: ClientContext(source: IPAddress(client)!),
                                                          snapshot: Authority.Snapshot(zones: zones, health: health), random: &random, trace: &trace)
        return (response, trace.steps)
    }
}

extension Response {
    /// Every record of a section as `owner TTL IN TYPE RDATA` lines, in order.
    static func lines(_ sets: [ResponseRRSet]) -> [String] {
        sets.flatMap { set in set.records.map { "\(set.owner) \(set.ttl) IN \(set.type) \($0.presentation)" } }
    }

    var answerLines: [String] { Response.lines(answer) }
    var authorityLines: [String] { Response.lines(authority) }
    var additionalLines: [String] { Response.lines(additional) }
}
