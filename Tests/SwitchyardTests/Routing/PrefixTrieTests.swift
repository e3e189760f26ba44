import Authority
import DNSWire
import GeoIP
@testable import Routing
import Testing
import Zones

/// The one prefix engine: longest-prefix match and the ECS scope it reports, by address
/// (geo and latency tables, MaxMind) and by client prefix (CIDR collections).
@Suite struct PrefixTrieTests {
    /// Nested blocks, adjacent blocks, a /32, a /128 and an IPv6 /0; IPv4 has no /0.
    static let blocks: [(String, String)] = [
        ("10.0.0.0/8", "A"), ("10.1.0.0/16", "B"), ("10.1.2.0/24", "C"), ("10.1.3.0/24", "D"),
        ("192.0.2.7/32", "E"),
        ("::/0", "Z"), ("2001:db8::/32", "F"), ("2001:db8:1::/48", "G"), ("2001:db8:1::1/128", "H"),
    ]
    static let table = PrefixTable(blocks.map { (IPPrefix($0.0)!, $0.1) })

    /// Address → (value, scope): the scope is how many leading bits every address that
    /// shares them gets the same outcome for (worked out by hand from the blocks).
    @Test(arguments: [
        ("10.9.9.9", "A", 13),        // 10.8.0.0/13 holds only the /8
        ("10.1.2.9", "C", 24),
        ("10.1.3.200", "D", 24),      // adjacent /24s stay apart
        ("10.1.4.1", "B", 22),        // 10.1.4.0/22 holds only the /16
        ("10.1.255.1", "B", 17),
        ("11.0.0.1", nil, 8),         // outside every block: the miss holds for 11.0.0.0/8
        ("0.0.0.1", nil, 5),
        ("192.0.2.7", "E", 32),
        ("192.0.2.6", nil, 32),
        ("3fff::1", "Z", 4),          // the /0 answers, for 2000::/3's other half
        ("2001:db8:1::1", "H", 128),
        ("2001:db8:1::2", "G", 127),
        ("2001:db8:2::1", "F", 47),
        ("2001:db9::1", "Z", 32),
    ] as [(String, String?, Int)])
    func addressLookupFindsTheLongestBlockAndItsScope(address: String, value: String?, scope: Int) throws {
        let result = Self.table.lookup(try #require(IPAddress(address)))
        #expect(result.value == value)
        #expect(Int(result.scope) == scope)
    }

    /// Client prefix → (value, scope): a block longer than the prefix does not contain it.
    @Test(arguments: [
        ("10.1.0.0/16", "B", 16),
        ("10.1.2.0/23", "B", 23),     // holds C and D, so only B contains all of it
        ("10.0.0.0/12", "A", 12),
        ("10.1.2.0/24", "C", 24),
        ("10.1.2.128/25", "C", 24),   // C decides from its own 24 bits
        ("192.0.2.0/24", nil, 24),    // the /32 inside does not contain the /24
        ("0.0.0.0/0", nil, 0),
        ("::/0", "Z", 0),
        ("2001:db8:1::/48", "G", 48),
        ("2001:db8:1::/56", "G", 56),
        ("2001:db8:1::1/128", "H", 128),
        ("11.0.0.0/24", nil, 8),
    ] as [(String, String?, Int)])
    func prefixLookupNeedsABlockHoldingTheWholePrefix(prefix: String, value: String?, scope: Int) throws {
        let result = Self.table.lookup(try #require(IPPrefix(prefix)))
        #expect(result.value == value)
        #expect(Int(result.scope) == scope)
    }

    @Test func emptyTableMissesEverythingWithScopeZero() {
        let empty = PrefixTable<String>()
        #expect(empty.isEmpty)
        for probe in ["192.0.2.1", "::1"] {
            let result = empty.lookup(IPAddress(probe)!)
            #expect(result.value == nil && result.scope == 0)
        }
    }

    @Test func slashZeroAndSlashThirtyTwoInIPv4() {
        let table = PrefixTable([(IPPrefix("0.0.0.0/0")!, "all"), (IPPrefix("198.51.100.1/32")!, "one")])
        #expect(table.lookup(IPAddress("198.51.100.1")!) == ("one", 32))
        #expect(table.lookup(IPAddress("198.51.100.0")!) == ("all", 32))
        #expect(table.lookup(IPAddress("8.8.8.8")!) == ("all", 1))
        #expect(table.lookup(IPPrefix("198.51.100.0/24")!) == ("all", 24))
    }

    /// Sibling blocks of one location hold as one block: the answer claims their parent.
    @Test func siblingBlocksOfOneValueMergeIntoTheWiderScope() {
        let table = PrefixTable([(IPPrefix("10.0.0.0/9")!, "east"), (IPPrefix("10.128.0.0/9")!, "east")])
        #expect(table.lookup(IPAddress("10.200.0.1")!) == ("east", 8))
        #expect(table.lookup(IPPrefix("10.0.0.0/8")!) == ("east", 8))
    }

    @Test func laterEqualBlockReplacesTheEarlier() {
        let table = PrefixTable([(IPPrefix("10.0.0.0/8")!, "old"), (IPPrefix("10.0.0.0/8")!, "new")])
        #expect(table.lookup(IPAddress("10.1.1.1")!).value == "new")
    }

    /// A trie laid out by a database (MaxMind's search tree): address lookups report the
    /// depth the tree ends at; a slot pointing outside the nodes is refused.
    @Test func databaseLaidOutTrieIsCheckedAndAnswersByAddress() throws {
        // Node 0 splits on the first bit: 0/1 → leaf 0, 128/1 → node 1, which splits again.
        let slots: [UInt32] = [PrefixTrie.leaf(0), 1, PrefixTrie.empty, PrefixTrie.leaf(1)]
        let trie = try #require(PrefixTrie(nodes: slots, root4: 0, root6: PrefixTrie.empty))
        #expect(trie.lookup(IPAddress("10.0.0.1")!) == (0, 1))
        #expect(trie.lookup(IPAddress("192.0.2.1")!) == (1, 2))
        #expect(trie.lookup(IPAddress("130.0.0.1")!) == (nil, 2))
        #expect(trie.lookup(IPAddress("2001:db8::1")!) == (nil, 0))
        // A prefix ending on a node has no blocks to match there.
        #expect(trie.lookup(IPPrefix("128.0.0.0/1")!) == (nil, 1))
        #expect(PrefixTrie(nodes: [0, 2], root4: 0, root6: PrefixTrie.empty) == nil)
        #expect(PrefixTrie(nodes: slots, root4: 5, root6: PrefixTrie.empty) == nil)
    }

    /// A big table takes the DIR-16 path, a middling one the 8-bit first step, a tiny one
    /// none; each must agree with a brute-force longest match, scope included.
    @Test(arguments: [(3000, 12...32, 16), (30, 12...32, 8), (2, 4...8, 0)])
    func stridesAgreeWithTheLongestMatch(blockCount: Int, lengths: ClosedRange<Int>, width: Int) {
        var random = SplitMix64(seed: 42)
        var blocks: [(IPPrefix, Int)] = []
        for i in 0..<blockCount {
            let value = UInt32(truncatingIfNeeded: random.next()) & 0x0FFF_FFFF | 0x0A00_0000
            blocks.append((IPPrefix(address: .v4(IPv4Address(value)), length: lengths.lowerBound + Int(random.next() % UInt64(lengths.count))), i))
        }
        let big = PrefixTable(blocks)
        #expect(big.trie.strideWidth == width && big.trie.stride4.count == (width == 0 ? 0 : 1 << width))
        var checked = 0
        for _ in 0..<2000 {
            let probe = IPv4Address(UInt32(truncatingIfNeeded: random.next()) & 0x0FFF_FFFF | 0x0A00_0000)
            // Brute force: the longest block containing the probe, last one on ties.
            let expected = blocks.enumerated().filter { $0.element.0.contains(.v4(probe)) }
                .max { ($0.element.0.length, $0.offset) < ($1.element.0.length, $1.offset) }?.element.1
            let result = big.lookup(.v4(probe))
            #expect(result.value == expected)
            // The scope is a true scope: flipping any bit after it changes nothing.
            for bit in Int(result.scope)..<32 where bit % 7 == 0 {
                let neighbour = IPv4Address(probe.value ^ (1 << UInt32(31 - bit)))
                #expect(big.lookup(.v4(neighbour)).value == result.value)
            }
            checked += expected == nil ? 0 : 1
        }
        #expect(checked > (blockCount > 100 ? 100 : 0))
    }

    /// CIDR routing and the geo-networks table over the same blocks report the same
    /// scope, through the production paths: `ClientView` for `$CIDR`, `GeoClientLocator`
    /// over a parsed `--geo-networks` file for geolocation.
    @Test func cidrRoutingAndTheGeoTableAgreeOnScope() throws {
        let countries = ["US", "DE", "JP", "BR", "AU", "ZA", "GB", "IN", "FR"]
        var csv = GeoNetworksTable.header + "\n"
        for (i, (prefix, _)) in Self.blocks.enumerated() { csv += "\(prefix),,\(countries[i]),,,\n" }
        let geo = GeoClientLocator(sources: [try GeoNetworksTable(parsing: Array(csv.utf8), file: "same.csv")], latencyTable: nil)
        let probes = ["10.9.9.9", "10.1.2.9", "10.1.3.200", "10.1.4.1", "11.0.0.1", "0.0.0.1", "192.0.2.7", "192.0.2.6",
                      "3fff::1", "2001:db8:1::1", "2001:db8:1::2", "2001:db8:2::1", "2001:db9::1"]
        for probe in probes {
            let address = try #require(IPAddress(probe))
            let client = ClientContext(source: address)
            var view = ClientView(context: client, locator: geo, collections: ["same": Self.table])
            let block = view.cidrLocation(in: "same")
            let cidrScope = view.scope
            var geoView = ClientView(context: client, locator: geo)
            let place = geoView.location()
            #expect(cidrScope == geoView.scope, "\(probe)")
            // And they found the same block.
            let row = block.flatMap { value in Self.blocks.firstIndex { $0.1 == value } }
            #expect(place?.country == row.map { countries[$0] }, "\(probe)")
        }
    }

    /// The same through `Authority`: a `cidr` name over `$CIDR` blocks and a `geo` name
    /// over a geo-networks table of the same blocks answer with the same ECS scope, for
    /// clients without ECS and for ECS subnets no shorter than the blocks they fall in.
    /// (A block longer than the subnet is where they part by design: CIDR routing needs
    /// a block holding the whole subnet, ROUTE53.md §1.7; geolocation places its address.)
    @Test func cidrAndGeoAnswersCarryTheSameScope() throws {
        let countries = ["US", "DE", "JP", "BR", "AU", "ZA", "GB", "IN", "FR"]
        var zone = ""
        for (i, (prefix, _)) in Self.blocks.enumerated() {
            zone += "$CIDR same b\(i) \(prefix)\n"
            zone += "c [cidr id=b\(i) collection=same location=b\(i)] 60 IN A 192.0.2.\(10 + i)\n"
            zone += "g [geo id=b\(i) country=\(countries[i])] 60 IN A 192.0.2.\(10 + i)\n"
        }
        zone += "c [cidr id=rest collection=same location=*] 60 IN A 192.0.2.99\n"
        zone += "g [geo id=rest country=*] 60 IN A 192.0.2.99\n"
        let zones = ZoneFixtures.zoneSet("""
        $TTL 300
        @ IN SOA ns h 1 7200 900 1209600 60
        @ IN NS ns
        ns IN A 192.0.2.53
        \(zone)
        """, origin: "same.test.")
        let places = Self.blocks.enumerated().map { ($0.element.0, ClientLocation(country: countries[$0.offset])) }
        var asker = Asker(zones, locator: TableLocator(places: places))
        let probes: [(client: String, subnet: String?)] = [
            ("10.9.9.9", nil), ("10.1.2.9", nil), ("11.0.0.1", nil), ("192.0.2.7", nil), ("192.0.2.6", nil),
            ("2001:db8:1::2", nil), ("2001:db9::1", nil),
            ("127.0.0.1", "10.9.9.0/24"), ("127.0.0.1", "10.1.3.0/24"), ("127.0.0.1", "10.1.4.0/24"),
            ("127.0.0.1", "11.0.0.0/24"), ("127.0.0.1", "2001:db8:2::/56"), ("127.0.0.1", "3fff::/56"),
        ]
        var scopes: Set<UInt8> = []
        for probe in probes {
            let cidr = asker.ask("c.same.test.", .a, client: probe.client, subnet: probe.subnet)
            let geo = asker.ask("g.same.test.", .a, client: probe.client, subnet: probe.subnet)
            #expect(cidr.answerLines.map { $0.split(separator: " ").last } == geo.answerLines.map { $0.split(separator: " ").last },
                    "\(probe)")
            #expect(cidr.clientSubnetScope == geo.clientSubnetScope, "\(probe)")
            scopes.insert(cidr.clientSubnetScope)
        }
        // The probes exercise several scopes, not one.
        #expect(scopes.count >= 5)
    }
}
