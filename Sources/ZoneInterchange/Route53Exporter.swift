import DNSWire
import Routing
import Zones

/// What `switchyard export route53` writes for one zone: its record sets, the health
/// checks they use and the blocks of the CIDR collections they use, each in the shape
/// the AWS CLI prints, so `import route53` reads them back answer for answer.
public struct Route53Export: Sendable {
    public var recordSets: Route53RecordSetList
    public var healthChecks: Route53HealthCheckList
    /// By collection name (the records' `CollectionId`).
    public var cidrBlocks: [String: Route53CidrBlockList]
}

/// Turns a loaded zone into Route 53 record sets. Plain RRsets become simple record sets,
/// routed sets keep their id as SetIdentifier, and an ALIAS becomes one Alias record per
/// type its target answers (a Route 53 Alias answers one type); what Route 53 cannot hold
/// (an ALIAS to another zone) is an error naming the line.
public struct Route53Exporter: Sendable {
    /// Written as every Alias's `HostedZoneId` (Route 53 wants the zone's own id there).
    public var hostedZoneID: String

    /// What `HostedZoneId` says when the zone's id was not given: the Route 53 API
    /// refuses it, so an upload cannot go through with it by mistake.
    public static let unknownZoneID = "HOSTED-ZONE-ID"

    public init(hostedZoneID: String = Route53Exporter.unknownZoneID) {
        self.hostedZoneID = hostedZoneID
    }

    public func export(_ zone: Zone, in zones: ZoneSet) throws(Route53Problems) -> Route53Export {
        var problems: [Route53Problem] = []
        var sets: [Route53RecordSet] = []
        var checks: Set<String> = Set(zone.healthChecks.map(\.id))
        var collections: Set<String> = Set(zone.cidrCollections.keys)
        for node in zone.trie.nodes {
            let owner = node.name
            let name = Route53Escapes.text(of: owner)
            for rrset in node.rrsets {
                guard Route53Importer.importableTypes.contains(rrset.type.mnemonic) else {
                    problems.append(Route53Problem(file: zone.files.first ?? "\(zone.origin)", place: "\(owner) \(rrset.type)",
                        message: "type \(rrset.type) is written in RFC 3597 form, which Route 53 does not take"))
                    continue
                }
                var set = Route53RecordSet(name: name, type: rrset.type.mnemonic)
                set.ttl = Int(rrset.ttl)
                set.resourceRecords = rrset.records.map { .init(value: Self.route53Value($0)) }.sorted { $0.value < $1.value }
                sets.append(set)
            }
            let plainTypes = Set(node.rrsets.map(\.type))
            let groupTypes = Set(node.groups.compactMap(\.type))
            for group in node.groups {
                // Route 53 groups Alias records by type; a Switchyard ALIAS set is in the
                // A and AAAA groups (and answers the rest) whatever its target holds.
                var firstAlias: (types: Set<RecordType>, id: String)?
                for member in group.sets {
                    var set = Route53RecordSet(name: name, type: "")
                    Self.applyRouting(member.routing, to: &set)
                    if let check = member.routing.healthCheckID { checks.insert(check) }
                    if case .cidr(let collection, _) = member.routing.rule { collections.insert(collection) }
                    switch member.content {
                    case .records(let rrset):
                        guard Route53Importer.importableTypes.contains(rrset.type.mnemonic) else {
                            problems.append(Route53Problem(file: "\(member.location)", place: "",
                                message: "type \(rrset.type) is written in RFC 3597 form, which Route 53 does not take"))
                            continue
                        }
                        set.type = rrset.type.mnemonic
                        set.ttl = Int(member.ttl)
                        set.resourceRecords = rrset.records.map { .init(value: Self.route53Value($0)) }.sorted { $0.value < $1.value }
                        sets.append(set)
                    case .alias(let target):
                        // A routed ALIAS also sits in the A and AAAA groups; once, from its own group.
                        guard group.type == nil else { continue }
                        guard zones.zone(for: target) === zone else {
                            problems.append(Route53Problem(file: "\(member.location)", place: "",
                                message: "ALIAS \(owner) → \(target): Route 53 Alias records point only into their own hosted zone (\(zone.origin))"))
                            continue
                        }
                        var types = Self.answerTypes(target, zone: zone, depth: 0)
                        // The owner's own records answer their types; the ALIAS the rest.
                        types.subtract(plainTypes)
                        types.subtract(groupTypes.subtracting([.a, .aaaa]))
                        guard !types.isEmpty else {
                            problems.append(Route53Problem(file: "\(member.location)", place: "",
                                message: "ALIAS \(owner) → \(target): the target has no records of a type Route 53 can alias"))
                            continue
                        }
                        if let first = firstAlias, first.types != types {
                            let list = { (t: Set<RecordType>) in t.sorted { $0.rawValue < $1.rawValue }.map(\.mnemonic).joined(separator: " ") }
                            problems.append(Route53Problem(file: "\(member.location)", place: "",
                                message: "ALIAS set id=\(member.routing.id) of \(owner) reaches \(list(types)) but id=\(first.id) reaches \(list(first.types)); Route 53 keeps one group per type, so every Alias set of a name must reach the same types"))
                            continue
                        }
                        if member.routing.rule != .simple { firstAlias = firstAlias ?? (types, member.routing.id) }
                        set.aliasTarget = .init(hostedZoneId: hostedZoneID, dnsName: Route53Escapes.text(of: target),
                                                evaluateTargetHealth: member.routing.rule == .simple || member.routing.evaluateTargetHealth)
                        for type in types.sorted(by: { $0.rawValue < $1.rawValue }) {
                            set.type = type.mnemonic
                            sets.append(set)
                        }
                    }
                }
            }
        }
        guard problems.isEmpty else { throw Route53Problems(problems: problems) }
        sets.sort { a, b in
            let (x, y) = (try? Route53Escapes.name(a.name), try? Route53Escapes.name(b.name))
            if let x, let y, x != y { return x < y }
            if a.type != b.type { return a.type < b.type }
            return (a.setIdentifier ?? "") < (b.setIdentifier ?? "")
        }
        return Route53Export(recordSets: Route53RecordSetList(resourceRecordSets: sets),
                             healthChecks: Self.healthChecks(checks, zones: zones),
                             cidrBlocks: Self.cidrBlocks(collections, zone: zone, zones: zones))
    }

    static func applyRouting(_ routing: SetRouting, to set: inout Route53RecordSet) {
        guard routing.rule != .simple else { return }
        set.setIdentifier = routing.id
        set.healthCheckId = routing.healthCheckID
        switch routing.rule {
        case .simple: break
        case .weighted(let weight): set.weight = Int(weight)
        case .latency(let region): set.region = region
        case .geo(.anyLocation): set.geoLocation = .init(countryCode: "*")
        case .geo(.continent(let c)): set.geoLocation = .init(continentCode: c)
        case .geo(.country(let c)): set.geoLocation = .init(countryCode: c)
        case .geo(.subdivision(let c, let s)): set.geoLocation = .init(countryCode: c, subdivisionCode: s)
        case .failover(let role): set.failover = role == .primary ? "PRIMARY" : "SECONDARY"
        case .multivalue: set.multiValueAnswer = true
        case .cidr(let collection, let location): set.cidrRoutingConfig = .init(collectionId: collection, locationName: location ?? "*")
        }
    }

    /// The types a name answers with records (SOA and NS aside), through ALIAS chains.
    static func answerTypes(_ name: DomainName, zone: Zone, depth: Int) -> Set<RecordType> {
        guard depth < 16, let index = zone.trie.find(name) else { return [] }
        let node = zone.trie.node(index)
        var types = Set(node.rrsets.map(\.type)).union(node.groups.compactMap(\.type))
        for group in node.groups where group.type == nil {
            for member in group.sets {
                if case .alias(let target) = member.content { types.formUnion(answerTypes(target, zone: zone, depth: depth + 1)) }
            }
        }
        return types.subtracting([.soa, .ns])
    }

    /// A record's data as Route 53 keeps it: names with octal escapes, TXT strings too.
    static func route53Value(_ rdata: RData) -> String {
        switch rdata {
        case .txt(let txt), .spf(let txt): return Route53Escapes.text(ofStrings: txt.strings)
        case .cname(let n), .ns(let n), .ptr(let n): return Route53Escapes.text(of: n)
        case .mx(let mx): return "\(mx.preference) \(Route53Escapes.text(of: mx.exchange))"
        case .srv(let srv): return "\(srv.priority) \(srv.weight) \(srv.port) \(Route53Escapes.text(of: srv.target))"
        case .soa(let soa):
            return "\(Route53Escapes.text(of: soa.mname)) \(Route53Escapes.text(of: soa.rname)) \(soa.serial) \(soa.refresh) \(soa.retry) \(soa.expire) \(soa.minimum)"
        default: return rdata.presentation
        }
    }
}
