import Authority
import DNSServer
import Logging
import NIOCore
import NIOPosix
import Routing
import Zones
import ZoneTransfer

/// A `DNSServer` running in the test process on loopback port 0, started and stopped by
/// the test that owns it.
final class LiveServer {
    let server: DNSServer
    let group: MultiThreadedEventLoopGroup
    let store: ZoneStore

    convenience init(zones: ZoneSet, listen: [String] = ["127.0.0.1"], health: any HealthSource = StaticHealthSource(),
                     rateLimiter: ResponseRateLimiter? = nil, observer: (any AnswerObserver)? = nil, transfers: ZoneTransferService? = nil,
                     configure: (inout DNSServer.Configuration) -> Void = { _ in }) async throws {
        try await self.init(store: ZoneStore(zones), listen: listen, health: health, rateLimiter: rateLimiter, observer: observer,
                            transfers: transfers, configure: configure)
    }

    /// Serves whatever `store` holds, so a test can reload it while queries run.
    init(store: ZoneStore, listen: [String] = ["127.0.0.1"], health: any HealthSource = StaticHealthSource(),
         rateLimiter: ResponseRateLimiter? = nil, observer: (any AnswerObserver)? = nil, transfers: ZoneTransferService? = nil,
         configure: (inout DNSServer.Configuration) -> Void = { _ in }) async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.store = store
        var configuration = DNSServer.Configuration(listen: listen.map { ($0, 0) })
        configure(&configuration)
        let engine = QueryEngine(authority: Authority(), zones: store, health: health, rateLimiter: rateLimiter, observer: observer,
                                 transfers: transfers)
        server = DNSServer(configuration: configuration, engine: engine, group: group, logger: Logger(label: "test"))
        try await server.start()
    }

    var udpPort: Int { server.udpAddresses[0].port! }
    var tcpPort: Int { server.tcpAddresses[0].port! }

    func client(_ host: String = "127.0.0.1", index: Int = 0) -> DNSTestClient {
        DNSTestClient(host: host, port: server.udpAddresses[index].port!)
    }

    func stop() async throws {
        await server.stop()
        try await group.shutdownGracefully()
    }
}
