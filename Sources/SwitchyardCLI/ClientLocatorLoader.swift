import Foundation
import Logging
import Routing

/// Builds the client locator from `--geoip`, `--geo-networks` and `--latency-table`.
enum ClientLocatorLoader {
    static func load(geoip: String?, geoNetworks: String?, latencyTable: String?, logger: Logger) throws -> any ClientLocator {
        NoLocator()
    }
}
