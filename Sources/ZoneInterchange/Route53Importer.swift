import DNSWire

/// What `switchyard import route53` reads: the record sets, and optionally the health
/// checks and the CIDR blocks they use, each with the file name messages give.
public struct Route53ImportInput: Sendable {
    /// One `list-cidr-blocks` output; `collection` nil when it is the only collection the
    /// records use (the output does not name its collection).
    public struct CidrBlocks: Sendable {
        public var file: String
        public var collection: String?
        public var list: Route53CidrBlockList
        public init(file: String, collection: String?, list: Route53CidrBlockList) {
            self.file = file
            self.collection = collection
            self.list = list
        }
    }

    public var recordSetsFile: String
    public var recordSets: Route53RecordSetList
    public var healthChecksFile: String
    public var healthChecks: Route53HealthCheckList?
    public var cidrBlocks: [CidrBlocks]
    /// The zone's origin; nil: the owner of the SOA record.
    public var origin: DomainName?

    public init(recordSetsFile: String, recordSets: Route53RecordSetList, healthChecksFile: String = "health checks",
                healthChecks: Route53HealthCheckList? = nil, cidrBlocks: [CidrBlocks] = [], origin: DomainName? = nil) {
        self.recordSetsFile = recordSetsFile
        self.recordSets = recordSets
        self.healthChecksFile = healthChecksFile
        self.healthChecks = healthChecks
        self.cidrBlocks = cidrBlocks
        self.origin = origin
    }
}

/// Turns Route 53's record sets (SPEC §9, ROUTE53.md §9) into a Switchyard zone file:
/// each routing policy into a routing block, same-zone Alias records into ALIAS, health
/// checks into `$HEALTHCHECK` under Route 53's ids, CIDR blocks into `$CIDR`. What has no
/// equivalent here (Alias to AWS resources, geoproximity, traffic-policy records,
/// CloudWatch and recovery-control checks) is an error naming the record, never dropped.
public struct Route53Importer: Sendable {
    public init() {}

    public func document(from input: Route53ImportInput) throws(Route53Problems) -> ZoneFileDocument {
        var run = Route53ImportRun(input: input)
        run.importAll()
        guard run.problems.isEmpty else { throw Route53Problems(problems: run.problems) }
        return run.document
    }
}

/// One import in progress: the document so far and the problems found.
struct Route53ImportRun {
    let input: Route53ImportInput
    var document = ZoneFileDocument(origin: .root)
    var problems: [Route53Problem] = []
    /// Owner, group and SetIdentifier → the routing id, for SetIdentifiers that are not ids.
    var assignedIDs: [String: String] = [:]
    /// Alias lines by owner and SetIdentifier, to merge Route 53's per-type aliases.
    var aliases: [String: (index: Int, record: Route53RecordSet, place: String, types: [String])] = [:]
    var referencedChecks: [(id: String, place: String)] = []
    var referencedLocations: [(collection: String, location: String, place: String)] = []

    init(input: Route53ImportInput) { self.input = input }

    mutating func problem(_ place: String, _ message: String, file: String? = nil) {
        problems.append(Route53Problem(file: file ?? input.recordSetsFile, place: place, message: message))
    }

    mutating func importAll() {
        let list = input.recordSets
        if list.nextToken != nil || list.isTruncated == true {
            problem(list.nextToken != nil ? "NextToken" : "IsTruncated",
                    "the listing is one page of several (run aws route53 list-resource-record-sets without --max-items, which prints every page)")
            return
        }
        guard let origin = findOrigin() else { return }
        document.origin = origin
        assignIDs()
        document.headerComments = ["Imported from Route 53 record sets (aws route53 list-resource-record-sets): \(Self.baseName(input.recordSetsFile))"]
        for (i, set) in list.resourceRecordSets.enumerated() { importSet(set, index: i) }
        checkAliasNeighbours()
        importHealthChecks()
        importCIDRBlocks()
        guard problems.isEmpty else { return }
        for problem in ImportedZoneCheck.errors(in: document) {
            self.problem("imported zone", problem)
        }
    }

    mutating func findOrigin() -> DomainName? {
        if let origin = input.origin { return origin }
        let soas = input.recordSets.resourceRecordSets.enumerated().filter { $0.element.type.uppercased() == "SOA" }
        guard let (i, soa) = soas.first else {
            problem("ResourceRecordSets", "no SOA record, so the zone's name is unknown: give --origin ZONE")
            return nil
        }
        do { return try Route53Escapes.name(soa.name) } catch {
            problem("ResourceRecordSets[\(i)].Name", error.message)
            return nil
        }
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static func place(_ set: Route53RecordSet, index: Int) -> String {
        var text = "ResourceRecordSets[\(index)] (\(set.name) \(set.type)"
        if let id = set.setIdentifier { text += " SetIdentifier \(id)" }
        return text + ")"
    }

    mutating func importSet(_ set: Route53RecordSet, index: Int) {
        let place = Self.place(set, index: index)
        let type = set.type.uppercased()
        let owner: DomainName
        do { owner = try Route53Escapes.name(set.name) } catch { return problem(place, error.message) }
        guard owner.isSubdomain(of: document.origin) else {
            return problem(place, "\(owner) is outside the zone \(document.origin)")
        }
        if let policy = set.trafficPolicyInstanceId {
            return problem(place, "the record belongs to traffic policy instance \(policy); Traffic Flow records are not imported (recreate them with routing blocks)")
        }
        if let location = set.geoProximityLocation {
            let at = location.awsRegion ?? location.localZoneGroup ?? "coordinates"
            return problem(place, "geoproximity routing (\(at), bias \(location.bias ?? 0)) has no Switchyard equivalent; use latency or geo routing")
        }
        var routing: ZoneFileDocument.RoutingBlock?
        var comments: [String] = []
        do {
            routing = try routingBlock(set, owner: owner, type: type, comments: &comments)
        } catch { return problem(place, error.message) }
        if let cidr = set.cidrRoutingConfig { referencedLocations.append((cidr.collectionId, cidr.locationName, place)) }
        if let check = set.healthCheckId {
            if routing != nil {
                routing!.attributes.append(.init("health", check))
                referencedChecks.append((check, place))
            } else {
                comments.append("Route 53 HealthCheckId \(check) not kept: a simple record has no health check here")
            }
        }
        if let alias = set.aliasTarget {
            importAlias(set, alias: alias, owner: owner, type: type, routing: routing, comments: comments, place: place, index: index)
            return
        }
        guard Route53Importer.importableTypes.contains(type) else {
            return problem(place, "type \(set.type) is not one a Switchyard zone file holds (A, AAAA, CAA, CNAME, MX, NS, PTR, SOA, SPF, SRV, TXT)")
        }
        guard let ttl = set.ttl else { return problem(place, "a record set that is not an Alias needs TTL") }
        guard (0...Int(Int32.max)).contains(ttl) else { return problem(place, "TTL \(ttl) is outside 0 to 2147483647") }
        let values = set.resourceRecords ?? []
        guard !values.isEmpty else { return problem(place, "ResourceRecords is empty") }
        var data: [String] = []
        for (k, record) in values.enumerated() {
            do { data.append(try Route53Importer.zoneData(type: type, value: record.value)) } catch {
                problem("ResourceRecordSets[\(index)].ResourceRecords[\(k)] (\(set.name) \(set.type))", error.message)
            }
        }
        // Sorted: a value's place in Route 53's list carries no meaning, and the output
        // must not change when the listing does.
        for text in data.sorted() {
            document.records.append(.init(owner: owner, routing: routing, ttl: UInt32(ttl), type: type, data: text,
                                          comment: comments.isEmpty ? nil : comments.joined(separator: "; ")))
        }
    }

    /// The routing block for a set's policy, nil for a simple set.
    mutating func routingBlock(_ set: Route53RecordSet, owner: DomainName, type: String,
                               comments: inout [String]) throws(Route53Problem.Reason) -> ZoneFileDocument.RoutingBlock? {
        var policy: String?
        var attributes: [ZoneFileDocument.Attribute] = []
        var chosen: [String] = []
        if let weight = set.weight {
            guard (0...255).contains(weight) else { throw .init("Weight \(weight) is outside 0 to 255") }
            policy = "weighted"; attributes = [.init("weight", String(weight))]; chosen.append("Weight")
        }
        if let region = set.region {
            policy = "latency"; attributes = [.init("region", region)]; chosen.append("Region")
        }
        if let geo = set.geoLocation {
            policy = "geo"; chosen.append("GeoLocation")
            if let continent = geo.continentCode {
                attributes = [.init("continent", continent)]
            } else if let country = geo.countryCode {
                attributes = [.init("country", country)]
                if let subdivision = geo.subdivisionCode { attributes.append(.init("subdivision", subdivision)) }
            } else {
                throw .init("GeoLocation names no ContinentCode or CountryCode")
            }
        }
        if let failover = set.failover {
            policy = "failover"; chosen.append("Failover")
            switch failover.uppercased() {
            case "PRIMARY": attributes = [.init("role", "primary")]
            case "SECONDARY": attributes = [.init("role", "secondary")]
            default: throw .init("Failover is \(failover), not PRIMARY or SECONDARY")
            }
        }
        if set.multiValueAnswer == true {
            policy = "multivalue"; attributes = []; chosen.append("MultiValueAnswer")
        }
        if let cidr = set.cidrRoutingConfig {
            policy = "cidr"; chosen.append("CidrRoutingConfig")
            attributes = [.init("collection", cidr.collectionId), .init("location", cidr.locationName)]
        }
        guard chosen.count <= 1 else { throw .init("names more than one routing policy (\(chosen.joined(separator: ", ")))") }
        guard let policy else {
            if set.setIdentifier != nil { throw .init("has a SetIdentifier but no routing policy") }
            return nil
        }
        guard let original = set.setIdentifier, !original.isEmpty else { throw .init("a \(policy) record set needs a SetIdentifier") }
        let id = uniqueID(for: original, owner: owner, group: Self.groupKey(set))
        if id != original { comments.append("Route 53 SetIdentifier \"\(original)\"") }
        return .init(policy: policy, id: id, attributes: attributes)
    }

    /// The routing id of a SetIdentifier: itself when it is one (letters, digits, `-`,
    /// `_`, `.`), else a sanitised form kept distinct from every other set of the same name
    /// and group; settled over the whole listing first, so the input's order changes nothing.
    func uniqueID(for original: String, owner: DomainName, group: String) -> String {
        assignedIDs["\(owner)|\(group)|\(original)"] ?? original
    }

    static func groupKey(_ set: Route53RecordSet) -> String {
        let type = set.type.uppercased()
        return set.aliasTarget != nil || type == "A" || type == "AAAA" ? "address" : type
    }

    static func isUsableID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.unicodeScalars.allSatisfy { s in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "-_.".unicodeScalars.contains(s))
        }
    }

    mutating func assignIDs() {
        var originals: [String: Set<String>] = [:]
        for set in input.recordSets.resourceRecordSets {
            guard let id = set.setIdentifier, let owner = try? Route53Escapes.name(set.name) else { continue }
            originals["\(owner)|\(Self.groupKey(set))", default: []].insert(id)
        }
        for (key, ids) in originals {
            var taken = Set(ids.filter(Self.isUsableID))
            for id in ids.filter({ !Self.isUsableID($0) }).sorted() {
                var base = String(id.unicodeScalars.map { s -> Character in
                    Self.isUsableID(String(s)) ? Character(s) : "-"
                }.prefix(120))
                if base.isEmpty { base = "set" }
                var candidate = base
                var n = 1
                while taken.contains(candidate) {
                    n += 1
                    candidate = "\(base)-\(n)"
                }
                taken.insert(candidate)
                assignedIDs["\(key)|\(id)"] = candidate
            }
        }
    }
}
