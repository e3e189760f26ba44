// swift-tools-version:6.0
import PackageDescription

/// The query path's modules skip the runtime exclusivity checks in release builds: they
/// cost about 5% of a query in profiles, and the code keeps exclusive access by
/// construction (value types owned by one event loop).
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchyard", targets: ["SwitchyardCLI"]),
        .executable(name: "switchyard-bench", targets: ["SwitchyardBench"]),
        .executable(name: "QueryFuzzer", targets: ["QueryFuzzer"]),
        .executable(name: "ZoneFileFuzzer", targets: ["ZoneFileFuzzer"]),
        .executable(name: "MMDBFuzzer", targets: ["MMDBFuzzer"]),
        .executable(name: "AdminRequestFuzzer", targets: ["AdminRequestFuzzer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Core: pure, no I/O.
        .target(name: "DNSWire", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: hotPath),
        .target(name: "ZoneFile", dependencies: ["DNSWire"]),
        .target(name: "Routing", dependencies: ["DNSWire", "CMemoryHints"], swiftSettings: hotPath),
        .target(name: "GeoIP", dependencies: ["DNSWire", "Routing"], swiftSettings: hotPath),
        .target(name: "Zones", dependencies: ["CMemoryHints", 
            "DNSWire", "ZoneFile", "Routing",
            .product(name: "Atomics", package: "swift-atomics"),
        ], swiftSettings: hotPath),
        // Online DNSSEC: keys, canonical form, RRSIGs, compact denial (swift-crypto's P-256).
        .target(name: "DNSSEC", dependencies: [
            "DNSWire", "Zones",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: hotPath),
        .target(name: "Authority", dependencies: ["DNSWire", "Zones", "Routing", "DNSSEC", "CMemoryHints"], swiftSettings: hotPath),
        // Zone transfers to standard secondaries: AXFR, IXFR, NOTIFY and TSIG (hmac-sha256).
        .target(name: "ZoneTransfer", dependencies: [
            "DNSWire", "Zones", "Authority",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Other providers' formats: Route 53's CLI output (import and export) and octoDNS YAML.
        .target(name: "ZoneInterchange", dependencies: [
            "DNSWire", "ZoneFile", "Zones", "Routing",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Edges.
        // recvmmsg/sendmmsg batches for the UDP workers (Glibc does not expose them).
        .target(name: "CUDPBatch"),
        // Memory hints the query path's tables give: a cache prefetch, huge pages.
        .target(name: "CMemoryHints"),
        .target(name: "DNSServer", dependencies: [
            "DNSWire", "Authority", "Zones", "Routing", "CUDPBatch", "CMemoryHints", "ZoneTransfer", "DNSSEC",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Atomics", package: "swift-atomics"),
        ], swiftSettings: hotPath),
        .target(name: "HealthChecks", dependencies: [
            "Routing", "Zones",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Atomics", package: "swift-atomics"),
        ]),
        // Where zone files come from (a folder, a git commit) and the one reload procedure.
        // glibc's malloc tuning (mallopt, malloc_trim), which Swift cannot reach directly.
        .target(name: "CMallocTuning", dependencies: ["CMemoryHints"]),
        .target(name: "ZoneSources", dependencies: [
            "CMallocTuning", "DNSWire", "ZoneFile", "Zones",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // The admin API's JSON contract, shared by the server and the CLI.
        .target(name: "AdminContract"),
        // An etcd v3 client over its JSON gateway, and the fleet's shared state on it.
        .target(name: "Etcd", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "Drills", dependencies: [
            "AdminContract", "Authority", "DNSServer", "DNSWire", "HealthChecks", "Routing", "Zones",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "FleetState", dependencies: [
            "Etcd", "HealthChecks", "Drills",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "AdminAPI", dependencies: [
            "AdminContract", "DNSWire", "Authority", "Zones", "HealthChecks", "Routing", "Drills", "GeoIP",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .executableTarget(name: "SwitchyardCLI", dependencies: [
            "DNSWire", "ZoneFile", "Routing", "Zones", "Authority", "DNSServer", "HealthChecks", "AdminContract", "AdminAPI", "GeoIP",
            "FleetState", "ZoneSources", "Drills", "DNSSEC", "ZoneTransfer", "ZoneInterchange",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        // The in-process benchmark: load time, memory and answers per second, no sockets.
        .executableTarget(name: "SwitchyardBench", dependencies: [
            "DNSWire", "ZoneFile", "Zones", "ZoneSources", "Routing", "Authority", "DNSServer", "DNSSEC",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Fuzzing: one library of entry points over the pure core and the query engine,
        // shared by the four fuzz executables and the corpus-replay tests. Built without
        // fuzzer flags here; Fuzz/run.sh builds them with libFuzzer and ASan.
        .target(name: "FuzzEntries", dependencies: [
            "DNSWire", "ZoneFile", "Routing", "Zones", "Authority", "DNSServer", "GeoIP", "AdminAPI",
            .product(name: "NIOCore", package: "swift-nio"),
        ], path: "Fuzz/Entries"),
        .executableTarget(name: "QueryFuzzer", dependencies: ["FuzzEntries"], path: "Fuzz/QueryFuzzer"),
        .executableTarget(name: "ZoneFileFuzzer", dependencies: ["FuzzEntries"], path: "Fuzz/ZoneFileFuzzer"),
        .executableTarget(name: "MMDBFuzzer", dependencies: ["FuzzEntries"], path: "Fuzz/MMDBFuzzer"),
        .executableTarget(name: "AdminRequestFuzzer", dependencies: ["FuzzEntries"], path: "Fuzz/AdminRequestFuzzer"),
        .testTarget(name: "SwitchyardTests", dependencies: [
            "DNSWire", "ZoneFile", "Routing", "Zones", "Authority", "DNSServer", "HealthChecks", "AdminContract", "AdminAPI", "GeoIP", "FuzzEntries",
            "SwitchyardCLI", "SwitchyardBench", "Etcd", "FleetState", "ZoneSources", "Drills",
            "DNSSEC", "ZoneTransfer", "ZoneInterchange",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
