import DNSWire

/// Where a client is, as far as geolocation and latency routing care.
public struct ClientLocation: Hashable, Sendable {
    /// Route 53 continent code (AF AN AS EU OC NA SA).
    public var continent: String?
    /// ISO 3166-1 alpha-2 country code.
    public var country: String?
    /// Subdivision code within the country (US state), without the country prefix.
    public var subdivision: String?
    public var latitude: Double?
    public var longitude: Double?

    public init(continent: String? = nil, country: String? = nil, subdivision: String? = nil,
                latitude: Double? = nil, longitude: Double? = nil) {
        self.continent = continent
        self.country = country
        self.subdivision = subdivision
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// Answers "where is this client" and "how far is it from that region" for the latency
/// and geolocation policies. Implemented over a MaxMind DB, a geo-networks CSV or a
/// latency table (module GeoIP); every answer says how many address bits decided it.
public protocol ClientLocator: Sendable {
    /// The location of the network containing `prefix`, and the prefix length it holds for.
    func locate(_ prefix: IPPrefix) -> (location: ClientLocation?, scope: UInt8)
    /// Latency in milliseconds (or any monotone stand-in such as distance) from the client
    /// to each region, or nil for a region it cannot rank; and the scope of that answer.
    /// `location` is what `locate` returned for the same prefix.
    func latencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: LatencyRegions) -> (milliseconds: [Double?], scope: UInt8)
    /// The same ranking for the query path: writes into `ranks` (one per region) values
    /// in the order of the latencies, nil where `latencies` has nil, and returns the scope.
    /// Only the order counts, so a locator may skip what does not change it (the arcsine
    /// of a distance) and must not allocate. The default copies `latencies`.
    func rankLatencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: LatencyRegions,
                       into ranks: UnsafeMutableBufferPointer<Double?>) -> UInt8
}

extension ClientLocator {
    public func rankLatencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: LatencyRegions,
                              into ranks: UnsafeMutableBufferPointer<Double?>) -> UInt8 {
        let result = latencies(prefix, location: location, regions: regions)
        for i in ranks.indices { ranks[i] = i < result.milliseconds.count ? result.milliseconds[i] : nil }
        return result.scope
    }
}

/// A locator that knows nothing: every client is unlocated (geo falls to the default set,
/// latency keeps the zone file's order).
public struct NoLocator: ClientLocator {
    public init() {}
    public func locate(_ prefix: IPPrefix) -> (location: ClientLocation?, scope: UInt8) { (nil, 0) }
    public func latencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: LatencyRegions) -> (milliseconds: [Double?], scope: UInt8) {
        (Array(repeating: nil, count: regions.names.count), 0)
    }
}
