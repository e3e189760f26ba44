import DNSWire

extension Route53ImportRun {
    /// Every health check of `list-health-checks` as a `$HEALTHCHECK` under Route 53's id
    /// (health checks are global, and calculated checks name their children by id).
    mutating func importHealthChecks() {
        let file = input.healthChecksFile
        guard let list = input.healthChecks else {
            for (id, place) in referencedChecks {
                problem(place, "HealthCheckId \(id) is used but no health checks were given (add --health-checks with the output of aws route53 list-health-checks)")
            }
            return
        }
        if list.nextToken != nil || list.isTruncated == true {
            problem("NextToken", "the listing is one page of several (run aws route53 list-health-checks without --max-items)", file: file)
            return
        }
        let indexByID = Dictionary(list.healthChecks.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        for (id, place) in referencedChecks where indexByID[id] == nil {
            problem(place, "HealthCheckId \(id) is not in \(Self.baseName(file))")
        }
        // The listing is the whole account's: only what these records use (and the
        // children of the calculated checks they use) belongs in this zone.
        var wanted = Set(referencedChecks.map(\.id).filter { indexByID[$0] != nil })
        var queue = Array(wanted)
        while let id = queue.popLast() {
            let i = indexByID[id]!
            for child in list.healthChecks[i].healthCheckConfig.childHealthChecks ?? [] where !wanted.contains(child) {
                guard indexByID[child] != nil else {
                    problem("HealthChecks[\(i)] (Id \(id))", "child health check \(child) is not in \(Self.baseName(file))", file: file)
                    continue
                }
                wanted.insert(child)
                queue.append(child)
            }
        }
        for (i, check) in list.healthChecks.enumerated() where wanted.contains(check.id) {
            let place = "HealthChecks[\(i)] (Id \(check.id))"
            do {
                document.healthChecks.append(try Self.healthCheckLine(check))
            } catch {
                problem(place, error.message, file: file)
            }
        }
        let unused = Set(list.healthChecks.map(\.id)).subtracting(wanted).count
        if unused > 0 {
            document.headerComments.append("\(unused) health check(s) of \(Self.baseName(file)) not used by these records were left out")
        }
    }

    static func healthCheckLine(_ check: Route53HealthCheck) throws(Route53Problem.Reason) -> ZoneFileDocument.HealthCheckLine {
        let config = check.healthCheckConfig
        guard !check.id.isEmpty, check.id.utf8.count <= 64,
              check.id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw .init("Id '\(check.id)' is not usable as a health check id (1 to 64 letters, digits, '-', '_' or '.')")
        }
        var attributes: [ZoneFileDocument.Attribute] = []
        let target: String
        let type = config.type.uppercased()
        var comment = "Route 53 \(type) health check"
        if let reference = check.callerReference { comment += ", CallerReference \(reference)" }
        switch type {
        case "HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP":
            guard let host = config.ipAddress ?? config.fullyQualifiedDomainName, !host.isEmpty else {
                throw .init("a \(type) check needs IPAddress or FullyQualifiedDomainName")
            }
            let secure = type.hasPrefix("HTTPS")
            let scheme = type == "TCP" ? "tcp" : secure ? "https" : "http"
            guard let port = config.port ?? (type == "TCP" ? nil : secure ? 443 : 80), (1...65535).contains(port) else {
                throw .init("a TCP check needs a Port from 1 to 65535")
            }
            let hostText = host.contains(":") ? "[\(host)]" : host
            var path = ""
            if type != "TCP" {
                path = config.resourcePath ?? "/"
                if !path.hasPrefix("/") { path = "/" + path }
                guard !path.contains(where: { $0 == " " || $0 == "\"" || $0 == ";" }) else {
                    throw .init("ResourcePath '\(path)' holds a space, quote or ';', which a health check target cannot")
                }
            }
            target = "\(scheme)://\(hostText):\(port)\(path)"
            let interval = config.requestInterval ?? 30
            guard interval == 10 || interval == 30 else { throw .init("RequestInterval \(interval) is not 10 or 30") }
            attributes.append(.init("interval", "\(interval)s"))
            let threshold = config.failureThreshold ?? 3
            guard (1...10).contains(threshold) else { throw .init("FailureThreshold \(threshold) is outside 1 to 10") }
            attributes.append(.init("threshold", String(threshold)))
            // The name is the Host header (and SNI) when the check probes an address.
            if type != "TCP", config.ipAddress != nil, let name = config.fullyQualifiedDomainName, !name.isEmpty {
                attributes.append(.init("host", name))
            }
            if type.hasSuffix("_STR_MATCH") {
                guard let search = config.searchString, !search.isEmpty else { throw .init("a \(type) check needs SearchString") }
                attributes.append(.init("match", search))
            }
        case "CALCULATED":
            let children = config.childHealthChecks ?? []
            guard !children.isEmpty else { throw .init("a CALCULATED check needs ChildHealthChecks") }
            target = "calculated"
            attributes.append(.init("children", children.joined(separator: ",")))
            attributes.append(.init("min-healthy", String(config.healthThreshold ?? children.count)))
        default:
            throw .init("type \(config.type) has no Switchyard equivalent (HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP and CALCULATED are imported)")
        }
        if config.inverted == true { attributes.append(.init("inverted")) }
        if config.disabled == true { attributes.append(.init("disabled")) }
        return .init(id: check.id, target: target, attributes: attributes, comment: comment)
    }

    /// The blocks of each CIDR collection the records use, as `$CIDR` lines named by the
    /// collection's id (what the records' `CidrRoutingConfig` names).
    mutating func importCIDRBlocks() {
        let used = Set(referencedLocations.map(\.collection))
        var blocks: [String: [String: [String]]] = [:]
        for input in input.cidrBlocks {
            let collection: String
            if let named = input.collection {
                collection = named
            } else if used.count == 1 {
                collection = used.first!
            } else {
                problem("", "the records use \(used.count) CIDR collections (\(used.sorted().joined(separator: ", "))); say which one this file lists with --cidr-blocks COLLECTION-ID=FILE", file: input.file)
                continue
            }
            if input.list.nextToken != nil {
                problem("NextToken", "the listing is one page of several (run aws route53 list-cidr-blocks without --max-items)", file: input.file)
                continue
            }
            for (i, block) in input.list.cidrBlocks.enumerated() {
                guard let prefix = IPPrefix(block.cidrBlock, strict: true) else {
                    problem("CidrBlocks[\(i)]", "'\(block.cidrBlock)' is not an address block", file: input.file)
                    continue
                }
                blocks[collection, default: [:]][block.locationName, default: []].append(prefix.description)
            }
        }
        for (collection, location, place) in referencedLocations {
            guard let locations = blocks[collection] else {
                problem(place, "CIDR collection \(collection) has no blocks: add --cidr-blocks with the output of aws route53 list-cidr-blocks --collection-id \(collection)")
                continue
            }
            if location != "*" && locations[location] == nil {
                problem(place, "location \(location) is not among the blocks of CIDR collection \(collection)")
            }
        }
        for (collection, locations) in blocks {
            for (location, prefixes) in locations {
                document.cidrLocations.append(.init(collection: collection, location: location, prefixes: prefixes.sorted()))
            }
        }
    }
}
