import DNSWire
import Routing

/// A MaxMind DB's search tree with every record already decoded to a `GeoLocation`:
/// what `--geoip` puts on the query path.
///
/// Built once by `MaxMindDatabase.locationTable()`; a lookup walks at most 128 slots of
/// a `[UInt32]` and indexes `locations`, with no decoding and no allocation. The table
/// keeps nothing of the file, so the database's bytes can be dropped after building it.
/// Prefix lengths are the database's own (the depth at which the tree ended), which is
/// what the answer's ECS scope should be.
public struct MaxMindLocationTable: GeoLocating {
    let trie: PrefixTrie
    /// The distinct locations the tree points to, each with `prefixLength` 0.
    public let locations: [GeoLocation]
    public let metadata: MaxMindMetadata

    init(trie: PrefixTrie, locations: [GeoLocation], metadata: MaxMindMetadata) {
        self.trie = trie
        self.locations = locations
        self.metadata = metadata
    }

    public func locate(_ address: IPAddress) -> GeoLookupResult {
        let (leaf, prefixLength) = trie.lookup(address)
        guard let leaf else { return GeoLookupResult(location: nil, prefixLength: prefixLength) }
        var location = locations[leaf]
        location.prefixLength = prefixLength
        return GeoLookupResult(location: location, prefixLength: prefixLength)
    }
}
