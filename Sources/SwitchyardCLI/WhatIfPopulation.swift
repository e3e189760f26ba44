import AdminAPI
import Authority
import GeoIP
import Logging
import Routing

/// The client networks a server's what-if counts when the request brings none: the
/// `--geo-networks` rows, else one network per country and subdivision of `--geoip`
/// (as `diff` asks), else one unlocated client.
enum WhatIfPopulation {
    static func standard(locator: any ClientLocator, geoip: String?, logger: Logger) -> @Sendable () -> [ClientNetwork] {
        {
            if let table = (locator as? GeoClientLocator)?.sources.first as? GeoNetworksTable, !table.entries.isEmpty {
                return ClientNetworkNames.name(table.entries.map { ($0.prefix, $0.location) })
            }
            if let geoip {
                do {
                    let networks = ClientNetworkNames.name(try MaxMindDatabase(contentsOf: geoip).networksByPlace())
                    if !networks.isEmpty { return networks }
                } catch {
                    logger.warning("whatif: cannot list the networks of \(geoip) (\(error)); counting one unlocated client")
                }
            }
            return [.anyClient]
        }
    }
}
