import DNSWire
import ZoneFile

/// A `$CIDR` collection: named locations, each a list of address blocks (Route 53's CIDR
/// collections, ROUTE53.md §1.7).
public struct CIDRCollection: Hashable, Sendable {
    public var name: String
    /// Location name → its blocks, in declaration order.
    public var locations: [String: [IPPrefix]]
    public var location: SourceLocation

    public init(name: String, locations: [String: [IPPrefix]] = [:], location: SourceLocation) {
        self.name = name
        self.locations = locations
        self.location = location
    }

    /// Every (block, location) pair, for building a longest-prefix table.
    public var blocks: [(prefix: IPPrefix, location: String)] {
        locations.keys.sorted().flatMap { name in locations[name]!.map { ($0, name) } }
    }
}
