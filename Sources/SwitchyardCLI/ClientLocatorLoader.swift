import Foundation
import GeoIP
import Logging
import Routing

/// Builds the client locator from `--geoip`, `--geo-networks` and `--latency-table`; a file
/// that cannot be read or parsed stops the server with the file, line and column.
enum ClientLocatorLoader {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    static func load(geoip: String?, geoNetworks: String?, latencyTable: String?, logger: Logger) throws -> any ClientLocator {
        guard geoip != nil || geoNetworks != nil || latencyTable != nil else { return NoLocator() }
        var sources: [any GeoLocating] = []
        if let geoNetworks {
            do {
                let table = try GeoNetworksTable(contentsOf: geoNetworks)
                logger.info("client locations: \(table.entries.count) networks from \(geoNetworks)")
                sources.append(table)
            } catch {
                throw LoadError(description: "\(error)")
            }
        }
        if let geoip {
            do {
                let started = ContinuousClock.now
                let table = try MaxMindDatabase(contentsOf: geoip).locationTable()
                logger.info("client locations: \(table.metadata.databaseType) from \(geoip) (\(table.locations.count) locations, built in \(ContinuousClock.now - started))")
                sources.append(table)
            } catch {
                throw LoadError(description: "\(geoip): \(error)")
            }
        }
        var latency: LatencyTable? = nil
        if let latencyTable {
            do {
                latency = try LatencyTable(contentsOf: latencyTable)
                logger.info("latencies: \(latency!.entries.count) client networks from \(latencyTable)")
            } catch {
                throw LoadError(description: "\(error)")
            }
        }
        return GeoClientLocator(sources: sources, latencyTable: latency)
    }
}
