import DNSWire
import Routing

extension MaxMindDatabase {
    /// The location of `address` from a City-style record (GeoLite2-City, GeoIP2-City,
    /// DB-IP City Lite), or nil when the database has no record for it or the record
    /// cannot be decoded. Decodes on every call; the query path uses `locationTable()`.
    /// Country-level databases simply yield no subdivision or coordinates, and a
    /// database whose subdivisions carry names but no `iso_code` yields no subdivision.
    public func location(for address: IPAddress) -> GeoLocation? {
        let result = search(address)
        guard let offset = result.dataOffset,
              var location = try? location(atDataOffset: offset) else { return nil }
        location.prefixLength = result.prefixLength
        return location
    }

    /// The location in the record at a data-section offset (from `search`), with
    /// `prefixLength` 0 for the caller to fill in. Only the five fields are read.
    public func location(atDataOffset offset: Int) throws(MMDBError) -> GeoLocation {
        guard offset >= 0 && offset < dataEnd - dataStart else {
            throw .pointerOutOfRange(offset: dataStart, pointer: offset)
        }
        let fields = try dataDecoder.locationFields(at: dataStart + offset)
        return Self.route53Location(fields)
    }

    /// Applies Route 53's continent table: when the country is in it, its continent
    /// replaces whatever the database says (GeoIP databases put `TR` in Asia, Route 53
    /// puts it in Europe). A continent code Route 53 does not know is dropped.
    static func route53Location(_ fields: MMDBLocationFields) -> GeoLocation {
        var continent = fields.continent.flatMap { Route53Geography.continentCodes.contains($0) ? $0 : nil }
        if let country = fields.country, let listed = Route53Geography.continent(ofCountry: country) {
            continent = listed
        }
        return GeoLocation(
            continent: continent, country: fields.country, subdivision: fields.subdivision,
            latitude: fields.latitude, longitude: fields.longitude
        )
    }

    /// Decodes the location of every distinct record the search tree points to, once,
    /// into a table whose lookups are a tree walk and an array index.
    ///
    /// Records that decode to the same location (two cities' networks in one test
    /// database, or records differing only in fields Switchyard ignores) share one entry.
    public func locationTable() throws(MMDBError) -> MaxMindLocationTable {
        guard nodeCount <= PrefixTrie.maxNodes else {
            throw .invalidMetadata("node_count \(nodeCount) is too large to index")
        }
        var indexByOffset: [Int: UInt32] = [:]
        var indexByLocation: [GeoLocation: UInt32] = [:]
        var locations: [GeoLocation] = []
        var slots = [UInt32](repeating: PrefixTrie.empty, count: nodeCount * 2)

        func slot(for record: Int) throws(MMDBError) -> UInt32 {
            if record < nodeCount { return UInt32(record) }
            if record == nodeCount { return PrefixTrie.empty }
            let offset = record - nodeCount - Self.separatorSize
            if let known = indexByOffset[offset] { return known }
            let location = try location(atDataOffset: offset)
            let leaf: UInt32
            if let shared = indexByLocation[location] {
                leaf = shared
            } else {
                leaf = PrefixTrie.leaf(locations.count)
                indexByLocation[location] = leaf
                locations.append(location)
            }
            indexByOffset[offset] = leaf
            return leaf
        }

        for node in 0..<nodeCount {
            slots[node * 2] = try slot(for: record(node: node, side: 0))
            slots[node * 2 + 1] = try slot(for: record(node: node, side: 1))
        }
        let root6 = metadata.ipVersion == 6 ? 0 : PrefixTrie.empty
        let root4 = try slot(for: ipv4Start)
        guard let trie = PrefixTrie(nodes: slots, root4: root4, root6: root6) else {
            throw .invalidMetadata("search tree points outside its \(nodeCount) nodes")
        }
        return MaxMindLocationTable(trie: trie, locations: locations, metadata: metadata)
    }
}
