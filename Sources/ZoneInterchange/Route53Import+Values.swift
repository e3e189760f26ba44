import DNSWire

extension Route53Importer {
    /// The types a Switchyard zone file holds; Route 53's others (DS, NAPTR, SSHFP, TLSA,
    /// SVCB, HTTPS) are refused by name rather than carried as opaque data.
    static let importableTypes: Set<String> = ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SOA", "SPF", "SRV", "TXT"]

    /// One `ResourceRecords[].Value` in zone-file presentation form: names made absolute
    /// (Route 53 keeps `www.example.com` without its dot as written), TXT octal escapes
    /// turned into decimal ones.
    static func zoneData(type: String, value: String) throws(Route53Problem.Reason) -> String {
        let fields = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        func name(_ text: String) throws(Route53Problem.Reason) -> String {
            try Route53Escapes.name(text).presentation
        }
        func count(_ n: Int) throws(Route53Problem.Reason) {
            guard fields.count == n else { throw .init("\(type) value '\(value)' needs \(n) fields") }
        }
        switch type {
        case "A", "AAAA":
            try count(1)
            return fields[0]
        case "CNAME", "NS", "PTR":
            try count(1)
            return try name(fields[0])
        case "MX":
            try count(2)
            return "\(fields[0]) \(try name(fields[1]))"
        case "SRV":
            try count(4)
            return "\(fields[0]) \(fields[1]) \(fields[2]) \(try name(fields[3]))"
        case "SOA":
            try count(7)
            return "\(try name(fields[0])) \(try name(fields[1])) " + fields[2...].joined(separator: " ")
        case "TXT", "SPF":
            return TXTData(strings: try Route53Escapes.characterStrings(value)).presentation
        default:
            // CAA: flags, tag and a quoted value, the same in both forms.
            return value
        }
    }
}
