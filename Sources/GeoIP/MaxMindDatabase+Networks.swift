import DNSWire

extension MaxMindDatabase {
    /// One network for each distinct country and subdivision the database places
    /// networks in: the first (lowest) such network, IPv4 first, then IPv6 networks of
    /// places no IPv4 network has. What `switchyard diff --geoip` asks for when it is
    /// given no client list. Walks every node of the tree once and decodes each record
    /// once.
    public func networksByPlace() throws(MMDBError) -> [(prefix: IPPrefix, location: GeoLocation)] {
        var found: [(prefix: IPPrefix, location: GeoLocation)] = []
        var places: Set<String> = []
        var decoded: [Int: GeoLocation] = [:]
        func visit(_ start: Int, bits: Int, v4: Bool) throws(MMDBError) {
            // Depth-first, 0 before 1, so networks come in address order.
            var stack: [(record: Int, high: UInt64, low: UInt64, depth: Int)] = [(start, 0, 0, 0)]
            while let (record, high, low, depth) = stack.popLast() {
                if record < nodeCount {
                    guard depth < bits else { continue }
                    // In an IPv6 walk, skip the IPv4 subtree: it was walked already.
                    if !v4 && record == ipv4Start && depth == 96 { continue }
                    let (oneHigh, oneLow) = depth < 64 ? (high | (1 << UInt64(63 - depth)), low) : (high, low | (1 << UInt64(127 - depth)))
                    stack.append((self.record(node: record, side: 1), oneHigh, oneLow, depth + 1))
                    stack.append((self.record(node: record, side: 0), high, low, depth + 1))
                    continue
                }
                guard record > nodeCount else { continue }
                let offset = record - nodeCount - Self.separatorSize
                let location: GeoLocation
                if let known = decoded[offset] { location = known } else {
                    location = try self.location(atDataOffset: offset)
                    decoded[offset] = location
                }
                guard let country = location.country else { continue }
                let place = "\(country)/\(location.subdivision.map { "\($0)" } ?? "")"
                guard places.insert(place).inserted else { continue }
                let address: IPAddress = v4 ? .v4(IPv4Address(UInt32(truncatingIfNeeded: high >> 32))) : .v6(IPv6Address(high: high, low: low))
                var placed = location
                placed.prefixLength = depth
                found.append((IPPrefix(address: address, length: depth), placed))
            }
        }
        try visit(ipv4Start, bits: 32, v4: true)
        if metadata.ipVersion == 6 { try visit(0, bits: 128, v4: false) }
        return found
    }
}
