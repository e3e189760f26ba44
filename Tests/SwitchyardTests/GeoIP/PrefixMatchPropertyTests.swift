import Routing
import DNSWire
import GeoIP
import Testing

extension GeoIPTests {
    /// The compiled trie against a brute-force longest-prefix match, on random nested
    /// prefixes: it must pick the same row, and its prefix length must be a true scope
    /// (every address sharing that many leading bits gets the same answer).
    @Suite struct PrefixMatchPropertyTests {
        static let countries = ["US", "DE", "JP", "BR", "AU", "ZA", "GB", "IN"]

        static func randomTable(ipv6: Bool, random: inout SplitMix64) throws -> GeoNetworksTable {
            var prefixes: [IPPrefix] = []
            var seen = Set<IPPrefix>()
            // A few roots so that most prefixes nest inside others.
            let roots: [UInt64] = (0..<4).map { _ in random.next() }
            while prefixes.count < 300 {
                let root = roots[Int(random.next() % 4)]
                let prefix: IPPrefix
                if ipv6 {
                    let length = 16 + Int(random.next() % 113)
                    let address = IPv6Address(high: (root & 0xFFFF_0000_0000_0000) | (random.next() >> 16), low: random.next())
                    prefix = IPPrefix(address: .v6(address), length: length)
                } else {
                    let length = 8 + Int(random.next() % 25)
                    let value = UInt32(truncatingIfNeeded: root >> 32) & 0xFF00_0000 | UInt32(truncatingIfNeeded: random.next()) & 0x00FF_FFFF
                    prefix = IPPrefix(address: .v4(IPv4Address(value)), length: length)
                }
                if seen.insert(prefix).inserted { prefixes.append(prefix) }
            }
            var text = GeoNetworksTable.header + "\n"
            for (i, prefix) in prefixes.enumerated() {
                text += "\(prefix),,\(countries[i % countries.count]),,,\n"
            }
            return try GeoNetworksTable(parsing: Array(text.utf8), file: "random.csv")
        }

        static func bruteForce(_ table: GeoNetworksTable, _ address: IPAddress) -> GeoNetworksTable.Entry? {
            table.entries.filter { $0.prefix.contains(address) }.max { $0.prefix.length < $1.prefix.length }
        }

        /// `address` with every bit after the first `length` replaced by random bits.
        static func sibling(of address: IPAddress, sharing length: Int, random: inout SplitMix64) -> IPAddress {
            let base = IPPrefix(address: address, length: length).address
            switch base {
            case .v4(let a):
                let keep: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
                return .v4(IPv4Address(a.value | UInt32(truncatingIfNeeded: random.next()) & ~keep))
            case .v6(let a):
                let keepHigh: UInt64 = length >= 64 ? ~0 : (length == 0 ? 0 : ~UInt64(0) << UInt64(64 - length))
                let keepLow: UInt64 = length <= 64 ? 0 : (length == 128 ? ~0 : ~UInt64(0) << UInt64(128 - length))
                return .v6(IPv6Address(high: a.high | random.next() & ~keepHigh, low: a.low | random.next() & ~keepLow))
            }
        }

        @Test(arguments: [false, true])
        func trieAgreesWithBruteForceAndScopesHold(ipv6: Bool) throws {
            var random = SplitMix64(seed: ipv6 ? 6 : 4)
            let table = try Self.randomTable(ipv6: ipv6, random: &random)
            var matched = 0
            for i in 0..<1500 {
                // Half the probes start inside a table prefix, so matches are common.
                let entry = table.entries[Int(random.next() % UInt64(table.entries.count))]
                let probe = i % 2 == 0
                    ? Self.sibling(of: entry.prefix.address, sharing: entry.prefix.length, random: &random)
                    : Self.sibling(of: entry.prefix.address, sharing: 0, random: &random)
                let expected = Self.bruteForce(table, probe)
                let match = table.match(probe)
                #expect(match?.entry == expected, "\(probe)")
                if expected != nil { matched += 1 }
                let result = table.locate(probe)
                #expect(result.prefixLength >= (expected?.prefix.length ?? 0), "\(probe)")
                for _ in 0..<3 {
                    let neighbour = Self.sibling(of: probe, sharing: result.prefixLength, random: &random)
                    #expect(table.match(neighbour)?.entry == match?.entry, "\(probe) vs \(neighbour) /\(result.prefixLength)")
                }
            }
            #expect(matched > 700)
        }
    }
}
