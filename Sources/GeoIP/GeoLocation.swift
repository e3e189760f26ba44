import DNSWire

/// Where a client address is, as far as geolocation and latency routing need to know.
///
/// Codes are Route 53's: `continent` is one of `AF AN AS EU NA OC SA`, `country` an
/// ISO 3166-1 alpha-2 code (plus `XK`), `subdivision` the part after the dash of an
/// ISO 3166-2 code (`CA` for California). Every field is optional because sources are
/// sparse: a database may know the country but not the coordinates. The type holds no
/// references (codes are `GeoCode`s), so handing one out on the query path is a copy of
/// a few words.
///
/// `prefixLength` is the length of the network the answer holds for: every address
/// that shares that many leading bits with the one looked up gets this same location.
/// It is what an answer that depends on the location should carry as its EDNS Client
/// Subnet scope (RFC 7871 §7.2.1).
public struct GeoLocation: Hashable, Sendable, CustomStringConvertible {
    public var continent: GeoCode?
    public var country: GeoCode?
    public var subdivision: GeoCode?
    public var latitude: Double?
    public var longitude: Double?
    public var prefixLength: Int

    public init(
        continent: GeoCode? = nil, country: GeoCode? = nil, subdivision: GeoCode? = nil,
        latitude: Double? = nil, longitude: Double? = nil, prefixLength: Int = 0
    ) {
        self.continent = continent
        self.country = country
        self.subdivision = subdivision
        self.latitude = latitude
        self.longitude = longitude
        self.prefixLength = prefixLength
    }

    /// Both coordinates, when the source had both (latency routing by distance needs both).
    public var coordinates: (latitude: Double, longitude: Double)? {
        guard let latitude, let longitude else { return nil }
        return (latitude, longitude)
    }

    /// True when nothing at all is known: such a location matches only a default record.
    public var isEmpty: Bool {
        continent == nil && country == nil && subdivision == nil && latitude == nil && longitude == nil
    }

    public var description: String {
        var parts: [String] = []
        if let continent { parts.append("continent=\(continent)") }
        if let country { parts.append("country=\(country)") }
        if let subdivision { parts.append("subdivision=\(subdivision)") }
        if let latitude, let longitude { parts.append("at=\(latitude),\(longitude)") }
        parts.append("/\(prefixLength)")
        return parts.joined(separator: " ")
    }
}

/// The outcome of locating one address: the location if the source knows it, and in
/// either case the prefix length the outcome holds for.
///
/// A miss has a prefix length too: "unknown" is itself an answer that depends on the
/// client (it selects the default record), so its ECS scope must say how far it holds.
public struct GeoLookupResult: Hashable, Sendable {
    public var location: GeoLocation?
    public var prefixLength: Int

    public init(location: GeoLocation?, prefixLength: Int) {
        self.location = location
        self.prefixLength = prefixLength
    }
}

/// A source of client locations that can sit on the query path: a lookup is a walk of
/// a precomputed table, with no decoding, no locking and no allocation.
///
/// Both `MaxMindLocationTable` (from `--geoip`) and `GeoNetworksTable`
/// (from `--geo-networks`) conform, so the server picks one at start and routing code
/// does not care which.
public protocol GeoLocating: Sendable {
    /// Locates `address` exactly as given; an IPv4-mapped IPv6 address is looked up as
    /// IPv6 (pass `address.unmapped` to treat it as IPv4).
    func locate(_ address: IPAddress) -> GeoLookupResult
}

extension GeoLocating {
    /// The location of `address`, or nil when the source has none.
    public func location(for address: IPAddress) -> GeoLocation? {
        locate(address).location
    }
}
