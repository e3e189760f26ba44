import DNSWire
import Routing

/// A client locator from a fixed table, for routing tests: prefix → place, and
/// prefix → latency per region.
struct TableLocator: ClientLocator {
    var places = PrefixTable<ClientLocation>()
    var latency = PrefixTable<[String: Double]>()

    init(places: [(String, ClientLocation)] = [], latency: [(String, [String: Double])] = []) {
        for (prefix, place) in places { self.places.insert(IPPrefix(prefix)!, place) }
        for (prefix, row) in latency { self.latency.insert(IPPrefix(prefix)!, row) }
    }

    func locate(_ prefix: IPPrefix) -> (location: ClientLocation?, scope: UInt8) {
        let (place, scope) = places.lookup(prefix)
        return (place, scope)
    }

    func latencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: [String]) -> (milliseconds: [Double?], scope: UInt8) {
        let (row, scope) = latency.lookup(prefix)
        return (regions.map { row?[$0] }, scope)
    }
}
