#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One AWS Region and the approximate coordinates of the city it is named after.
public struct AWSRegion: Hashable, Sendable {
    public var name: String
    public var city: String
    public var latitude: Double
    public var longitude: Double
}

/// The AWS Regions a latency record may name, with built-in coordinates.
///
/// Route 53 picks a latency record from its own measurements, which nobody outside AWS
/// has. Without a `--latency-table`, Switchyard ranks regions by great-circle distance
/// from the client's location to these points instead. Coordinates are those of the
/// city each Region is publicly associated with (to about 0.01°); AWS does not publish
/// data-centre locations, and at the scale of routing decisions a city is enough. The
/// GovCloud Regions are placed with their commercial neighbours in Ohio and Oregon, so
/// they tie with `us-east-2` and `us-west-2` on distance.
public enum AWSRegions {
    /// Every known Region, in the order AWS lists them.
    public static let all: [AWSRegion] = [
        AWSRegion(name: "us-east-1", city: "Ashburn, Virginia", latitude: 39.04, longitude: -77.49),
        AWSRegion(name: "us-east-2", city: "Columbus, Ohio", latitude: 39.96, longitude: -83.00),
        AWSRegion(name: "us-west-1", city: "San Jose, California", latitude: 37.34, longitude: -121.89),
        AWSRegion(name: "us-west-2", city: "Boardman, Oregon", latitude: 45.84, longitude: -119.70),
        AWSRegion(name: "af-south-1", city: "Cape Town", latitude: -33.92, longitude: 18.42),
        AWSRegion(name: "ap-east-1", city: "Hong Kong", latitude: 22.32, longitude: 114.17),
        AWSRegion(name: "ap-east-2", city: "Taipei", latitude: 25.03, longitude: 121.57),
        AWSRegion(name: "ap-south-1", city: "Mumbai", latitude: 19.08, longitude: 72.88),
        AWSRegion(name: "ap-south-2", city: "Hyderabad", latitude: 17.39, longitude: 78.49),
        AWSRegion(name: "ap-southeast-1", city: "Singapore", latitude: 1.35, longitude: 103.82),
        AWSRegion(name: "ap-southeast-2", city: "Sydney", latitude: -33.87, longitude: 151.21),
        AWSRegion(name: "ap-southeast-3", city: "Jakarta", latitude: -6.21, longitude: 106.85),
        AWSRegion(name: "ap-southeast-4", city: "Melbourne", latitude: -37.81, longitude: 144.96),
        AWSRegion(name: "ap-southeast-5", city: "Kuala Lumpur", latitude: 3.14, longitude: 101.69),
        AWSRegion(name: "ap-southeast-6", city: "Auckland", latitude: -36.85, longitude: 174.76),
        AWSRegion(name: "ap-southeast-7", city: "Bangkok", latitude: 13.76, longitude: 100.50),
        AWSRegion(name: "ap-northeast-1", city: "Tokyo", latitude: 35.68, longitude: 139.69),
        AWSRegion(name: "ap-northeast-2", city: "Seoul", latitude: 37.57, longitude: 126.98),
        AWSRegion(name: "ap-northeast-3", city: "Osaka", latitude: 34.69, longitude: 135.50),
        AWSRegion(name: "ca-central-1", city: "Montreal", latitude: 45.50, longitude: -73.57),
        AWSRegion(name: "ca-west-1", city: "Calgary", latitude: 51.05, longitude: -114.07),
        AWSRegion(name: "eu-central-1", city: "Frankfurt", latitude: 50.11, longitude: 8.68),
        AWSRegion(name: "eu-central-2", city: "Zurich", latitude: 47.38, longitude: 8.54),
        AWSRegion(name: "eu-west-1", city: "Dublin", latitude: 53.35, longitude: -6.26),
        AWSRegion(name: "eu-west-2", city: "London", latitude: 51.51, longitude: -0.13),
        AWSRegion(name: "eu-west-3", city: "Paris", latitude: 48.86, longitude: 2.35),
        AWSRegion(name: "eu-south-1", city: "Milan", latitude: 45.46, longitude: 9.19),
        AWSRegion(name: "eu-south-2", city: "Zaragoza, Aragon", latitude: 41.65, longitude: -0.88),
        AWSRegion(name: "eu-north-1", city: "Stockholm", latitude: 59.33, longitude: 18.07),
        AWSRegion(name: "il-central-1", city: "Tel Aviv", latitude: 32.09, longitude: 34.78),
        AWSRegion(name: "me-south-1", city: "Manama, Bahrain", latitude: 26.23, longitude: 50.59),
        AWSRegion(name: "me-central-1", city: "Dubai", latitude: 25.20, longitude: 55.27),
        AWSRegion(name: "sa-east-1", city: "São Paulo", latitude: -23.55, longitude: -46.63),
        AWSRegion(name: "mx-central-1", city: "Querétaro", latitude: 20.59, longitude: -100.39),
        AWSRegion(name: "cn-north-1", city: "Beijing", latitude: 39.90, longitude: 116.41),
        AWSRegion(name: "cn-northwest-1", city: "Yinchuan, Ningxia", latitude: 38.49, longitude: 106.23),
        AWSRegion(name: "us-gov-east-1", city: "Columbus, Ohio", latitude: 39.96, longitude: -83.00),
        AWSRegion(name: "us-gov-west-1", city: "Boardman, Oregon", latitude: 45.84, longitude: -119.70),
    ]

    private static let byName: [String: AWSRegion] = {
        var map: [String: AWSRegion] = [:]
        for region in all { map[region.name] = region }
        return map
    }()

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
