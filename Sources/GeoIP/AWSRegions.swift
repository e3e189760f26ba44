#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import Routing

/// Distances to the AWS Regions a latency record may name.
///
/// Route 53 picks a latency record from its own measurements, which nobody outside AWS
/// has. Without a `--latency-table`, Switchyard ranks regions by great-circle distance
/// from the client's location to the Regions' built-in coordinates instead (the list and
/// its coordinates are `Route53Geography.regions`); at the scale of routing decisions a
/// city is enough. The GovCloud Regions tie with `us-east-2` and `us-west-2` on distance.
public enum AWSRegions {
    /// Every known Region, in the order AWS lists them.
    public static var all: [AWSRegion] { Route53Geography.regions }

    private static var byName: [String: AWSRegion] { Route53Geography.regionsByName }

    /// True when `name` is a Region this table knows (and so a valid `region=` value).
    public static func isKnown(_ name: String) -> Bool {
        byName[name] != nil
    }

    /// The Region named `name`, if known.
    public static func region(named name: String) -> AWSRegion? {
        byName[name]
    }

    /// The built-in coordinates of `name`, if known.
    public static func coordinates(of name: String) -> (latitude: Double, longitude: Double)? {
        guard let region = byName[name] else { return nil }
        return (region.latitude, region.longitude)
    }

    /// Mean Earth radius in kilometres (IUGG), the usual choice for the haversine formula.
    public static let earthRadiusKilometres = 6371.0

    /// Great-circle distance between two points given in degrees, by the haversine
    /// formula, which stays accurate for the short distances where the law of cosines
    /// loses precision.
    public static func greatCircleKilometres(
        _ latitude1: Double, _ longitude1: Double, _ latitude2: Double, _ longitude2: Double
    ) -> Double {
        let radians = Double.pi / 180
        let phi1 = latitude1 * radians
        let phi2 = latitude2 * radians
        let deltaPhi = (latitude2 - latitude1) * radians
        let deltaLambda = (longitude2 - longitude1) * radians
        let sinHalfPhi = sin(deltaPhi / 2)
        let sinHalfLambda = sin(deltaLambda / 2)
        let a = sinHalfPhi * sinHalfPhi + cos(phi1) * cos(phi2) * sinHalfLambda * sinHalfLambda
        // min() guards against a rounding error pushing `a` past 1 for antipodal points.
        return 2 * earthRadiusKilometres * asin(min(1, a.squareRoot()))
    }

    /// Distance from a point to a Region's built-in coordinates, or nil for an unknown Region.
    public static func kilometres(fromLatitude latitude: Double, longitude: Double, to region: String) -> Double? {
        guard let target = byName[region] else { return nil }
        return greatCircleKilometres(latitude, longitude, target.latitude, target.longitude)
    }
}
