#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The regions of a latency group as worked out at load: their names, and where each
/// Region that Route 53's list knows lies, so that ranking by distance costs a few
/// multiplications and one arcsine per region, not a name lookup and a haversine.
public struct LatencyRegions: Sendable {
    /// Per region: its position, or nil for a name the list does not know.
    public let points: [SpherePoint?]
    public let names: [String]

    public init(_ names: [String]) {
        self.names = names
        points = names.map { name in Route53Geography.regionsByName[name].map { SpherePoint(latitude: $0.latitude, longitude: $0.longitude) } }
    }

    private init(names: [String], points: [SpherePoint?]) {
        self.names = names
        self.points = points
    }

    /// The same regions, the positions in a buffer allocated now (`RoutingPlan.packed`).
    func packed() -> LatencyRegions {
        LatencyRegions(names: names, points: points.map { $0 })
    }
}

/// A place on the Earth as a unit vector.
public struct SpherePoint: Sendable, Equatable {
    public let x: Double
    public let y: Double
    public let z: Double

    /// Mean Earth radius in kilometres (IUGG), as the haversine elsewhere uses.
    public static let earthRadiusKilometres = 6371.0

    /// From a latitude and longitude in degrees.
    public init(latitude: Double, longitude: Double) {
        let phi = latitude * Double.pi / 180
        let lambda = longitude * Double.pi / 180
        x = cos(phi) * cos(lambda)
        y = cos(phi) * sin(lambda)
        z = sin(phi)
    }

    /// The great-circle distance to `other`: 2R·asin(c/2) for the chord c between them,
    /// which is the haversine formula (c²/4 is its "a"), accurate at short distances too.
    @inline(__always)
    public func kilometres(to other: SpherePoint) -> Double {
        2 * SpherePoint.earthRadiusKilometres * asin(min(1, squaredChord(to: other).squareRoot() / 2))
    }

    /// The squared length of the chord to `other`, which grows with the great-circle
    /// distance: what ranking by distance compares.
    @inline(__always)
    public func squaredChord(to other: SpherePoint) -> Double {
        let dx = x - other.x, dy = y - other.y, dz = z - other.z
        return dx * dx + dy * dy + dz * dz
    }
}
