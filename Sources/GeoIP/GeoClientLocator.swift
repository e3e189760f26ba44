import DNSWire
import Routing

/// The client locator the server uses: places from `--geo-networks` (first) and
/// `--geoip`, latencies from `--latency-table` or else from the great-circle distance to
/// each region's built-in coordinates. Country-to-continent follows Route 53's own table
/// (ROUTE53.md §1.4), whatever the database says.
public struct GeoClientLocator: ClientLocator {
    public let sources: [any GeoLocating]
    public let latencyTable: LatencyTable?

    public init(sources: [any GeoLocating], latencyTable: LatencyTable?) {
        self.sources = sources
        self.latencyTable = latencyTable
    }

    public func locate(_ prefix: IPPrefix) -> (location: ClientLocation?, scope: UInt8) {
        var scope = 0
        for source in sources {
            let result = source.locate(prefix.address)
            scope = max(scope, result.prefixLength)
            if let location = result.location, !location.isEmpty {
                return (GeoClientLocator.routingLocation(location), UInt8(min(max(scope, 0), prefix.address.bitWidth)))
            }
        }
        return (nil, UInt8(min(scope, prefix.address.bitWidth)))
    }

    static func routingLocation(_ location: GeoLocation) -> ClientLocation {
        let country = location.country.map(\.description)
        let continent = location.country.flatMap { Route53Geography.continent(ofCountry: $0) } ?? location.continent
        return ClientLocation(continent: continent?.description, country: country, subdivision: location.subdivision?.description,
                              latitude: location.latitude, longitude: location.longitude)
    }

    public func latencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: LatencyRegions) -> (milliseconds: [Double?], scope: UInt8) {
        var scope: UInt8 = 0
        let milliseconds = [Double?](unsafeUninitializedCapacity: regions.names.count) { buffer, count in
            buffer.initialize(repeating: nil)
            count = buffer.count
            scope = fill(buffer, prefix, location: location, regions: regions) { $0.kilometres(to: $1) }
        }
        return (milliseconds, scope)
    }

    /// `latencies` without its arrays, and by distance without the arcsine: the squared
    /// chord grows with the great-circle distance, so it orders the regions the same.
    public func rankLatencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: LatencyRegions,
                              into ranks: UnsafeMutableBufferPointer<Double?>) -> UInt8 {
        fill(ranks, prefix, location: location, regions: regions) { $0.squaredChord(to: $1) }
    }

    /// Writes one value per region into `values` (nil where unknown), from the latency
    /// table when it holds the client, else by `distance` from the client's location;
    /// returns the scope the answer holds for.
    @inline(__always)
    private func fill(_ values: UnsafeMutableBufferPointer<Double?>, _ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8),
                      regions: LatencyRegions, distance: (SpherePoint, SpherePoint) -> Double) -> UInt8 {
        if let latencyTable, let match = latencyTable.lookup(prefix.address) {
            for i in values.indices { values[i] = i < regions.names.count ? match.milliseconds[regions.names[i]] : nil }
            return UInt8(min(match.prefixLength, prefix.address.bitWidth))
        }
        guard let latitude = location.location?.latitude, let longitude = location.location?.longitude else {
            for i in values.indices { values[i] = nil }
            return location.scope
        }
        let client = SpherePoint(latitude: latitude, longitude: longitude)
        regions.points.withUnsafeBufferPointer { points in
            for i in values.indices { values[i] = i < points.count ? points[i].map { distance(client, $0) } : nil }
        }
        return location.scope
    }
}
