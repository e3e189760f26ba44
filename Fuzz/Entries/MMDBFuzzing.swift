import DNSWire
import GeoIP

/// The MaxMind DB fuzz target: the input is a whole `.mmdb` file, opened and, when it
/// opens, searched and decoded for a few IPv4 and IPv6 addresses, then indexed into the
/// location table the query path uses.
public enum MMDBFuzzing {
    static let addresses: [IPAddress] = [
        "0.0.0.0", "1.2.3.4", "81.2.69.160", "128.0.0.1", "255.255.255.255",
        "::", "::1", "2001:db8::1", "2a02:ff80::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ].map { IPAddress($0)! }

    public static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let database = try? MaxMindDatabase(bytes: Array(bytes)) else { return }
        for address in addresses {
            let found = database.search(address)
            precondition(found.prefixLength >= 0 && found.prefixLength <= 128, "prefix length out of range")
            _ = try? database.lookup(address)
            _ = database.location(for: address)
        }
        guard let table = try? database.locationTable() else { return }
        for address in addresses { _ = table.locate(address) }
    }
}
