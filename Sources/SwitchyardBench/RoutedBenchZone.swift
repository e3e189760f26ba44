import DNSWire

/// The routed benchmark zone `routed.test.`: N names, each a routed group of one policy
/// in turn — weighted (three sets), latency (three regions) and failover (primary and
/// secondary) — every set tied to a health check. The benchmark serves it with every
/// check healthy, so each answer walks the routing and health lookups of a real group.
public struct RoutedBenchZone: Sendable {
    public static let origin = "routed.test."
    static let regions = ["us-east-1", "eu-west-1", "ap-southeast-1"]

    public let names: Int

    public init(names: Int) {
        self.names = max(names, 1)
    }

    public func write(chunk: Int = 1 << 20, to sink: (String) -> Void) {
        var out = ""
        out.reserveCapacity(chunk + 1024)
        let o = RoutedBenchZone.origin
        out += "$ORIGIN \(o)\n$TTL 300\n"
        out += "@\tIN\tSOA\tns1.\(o) hostmaster.\(o) 1 7200 3600 1209600 300\n@\tIN\tNS\tns1\nns1\tIN\tA\t192.0.2.53\n"
        for (k, region) in RoutedBenchZone.regions.enumerated() {
            out += "$HEALTHCHECK r\(k) http://127.0.0.1:9/health interval=10s timeout=2s threshold=2 region=\(region)\n"
        }
        for index in 0..<names {
            let name = "svc-\(index)"
            let net = "198.\(18 + (index >> 16) % 2).\((index >> 8) & 0xFF)"
            switch index % 3 {
            case 0:
                for (k, id) in ["blue", "green", "grey"].enumerated() {
                    out += "\(name)\t[weighted id=\(id) weight=\(50 - 20 * k) health=r\(k)]\t60\tIN\tA\t\(net).\(1 + k)\n"
                }
            case 1:
                for (k, region) in RoutedBenchZone.regions.enumerated() {
                    out += "\(name)\t[latency id=r\(k) region=\(region) health=r\(k)]\t60\tIN\tA\t\(net).\(11 + k)\n"
                }
            default:
                out += "\(name)\t[failover id=primary role=primary health=r0]\t60\tIN\tA\t\(net).21\n"
                out += "\(name)\t[failover id=standby role=secondary health=r1]\t60\tIN\tA\t\(net).22\n"
            }
            if out.utf8.count >= chunk {
                sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        sink(out)
    }

    /// Mostly routed names (A), one in ten a name that does not exist.
    public func queries(count: Int, seed: UInt64 = 2) -> QueryList {
        var list = QueryList()
        var state = seed
        for _ in 0..<count {
            state &+= 1
            let pick = BenchZone.mix(state)
            if pick % 10 == 0 {
                list.append("nx-\((pick >> 8) % 1_000_000).\(RoutedBenchZone.origin)", .a, expecting: .nxdomain)
            } else {
                list.append("svc-\((pick >> 8) % UInt64(names)).\(RoutedBenchZone.origin)", .a, expecting: .answer)
            }
        }
        return list
    }
}
