import DNSWire
import GeoIP
import Routing

/// The production client locator (`GeoClientLocator`) over a `--geo-networks` table and
/// a `--latency-table` written from fixed rows, so routing tests check the places, the
/// latencies and the ECS scopes the server itself would produce.
struct TableLocator: ClientLocator {
    let production: GeoClientLocator

    /// `places`: prefix → place; `latency`: prefix → milliseconds by region (a prefix
    /// with no regions writes no rows). A prefix given twice keeps its last row, as
    /// generated fixtures expect. Rows that the tables refuse are a test bug.
    init(places: [(String, ClientLocation)] = [], latency: [(String, [String: Double])] = []) {
        let places = Self.lastWins(places)
        let latency = Self.lastWins(latency)
        var networks = GeoNetworksTable.header + "\n"
        for (prefix, place) in places {
            let fields = [place.continent, place.country, place.subdivision,
                          place.latitude.map { "\($0)" }, place.longitude.map { "\($0)" }]
            networks += prefix + "," + fields.map { $0 ?? "" }.joined(separator: ",") + "\n"
        }
        var rtt = LatencyTable.header + "\n"
        for (prefix, row) in latency {
            for (region, milliseconds) in row.sorted(by: { $0.key < $1.key }) { rtt += "\(prefix),\(region),\(milliseconds)\n" }
        }
        do {
            let table = try GeoNetworksTable(parsing: Array(networks.utf8), file: "places.csv")
            let latencyTable = try LatencyTable(parsing: Array(rtt.utf8), file: "latency.csv")
            production = GeoClientLocator(sources: places.isEmpty ? [] : [table], latencyTable: latency.isEmpty ? nil : latencyTable)
        } catch {
            preconditionFailure("test locator rows: \(error)")
        }
    }

    static func lastWins<Row>(_ rows: [(String, Row)]) -> [(String, Row)] {
        var last: [String: Int] = [:]
        for (i, row) in rows.enumerated() { last[row.0] = i }
        return rows.enumerated().filter { last[$0.element.0] == $0.offset }.map(\.element)
    }

    func locate(_ prefix: IPPrefix) -> (location: ClientLocation?, scope: UInt8) {
        production.locate(prefix)
    }

    func latencies(_ prefix: IPPrefix, location: (location: ClientLocation?, scope: UInt8), regions: LatencyRegions) -> (milliseconds: [Double?], scope: UInt8) {
        production.latencies(prefix, location: location, regions: regions)
    }
}
