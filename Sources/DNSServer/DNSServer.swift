import Logging
import Metrics
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif
import ServiceLifecycle

/// Serves DNS over UDP and TCP on every configured address: one UDP socket per event loop
/// per address (SO_REUSEPORT spreads datagrams across loops), one TCP listener per
/// address. TCP clients are held to SPEC §5's limits so slow or hostile ones cannot starve
/// the others: a connection cap per client network and in total, a deadline for each
/// whole message, and a bound on replies queued for a client that does not read.
public final class DNSServer: Service, @unchecked Sendable {
    /// Where and how to listen.
    public struct Configuration: Sendable {
        /// `host:port` pairs; port 0 asks the system for a free port (tests).
        public var listen: [(host: String, port: Int)]
        /// Time for each TCP message to arrive whole, counted from the previous one (or the
        /// connection's start): the idle timeout too.
        public var tcpIdleTimeout: TimeAmount = .seconds(10)
        /// TCP connections in all; nil derives it from the descriptor limit
        /// (`DescriptorLimit.tcpConnectionBudget`).
        public var maxTCPConnections: Int?
        /// TCP connections from one client network (/32, /64).
        public var maxTCPConnectionsPerClient = 64
        /// Replies queued for one TCP client before it is no longer read (and closed if it
        /// sends more, or does not drain them within `tcpIdleTimeout`).
        public var tcpOutputLimit = 64 * 1024
        /// UDP sockets per address (one per event loop used).
        public var udpSocketsPerAddress = 1
        /// The largest UDP query read whole (SPEC §5); larger datagrams cannot exist.
        public static let maximumUDPQuery = 65_535

        public init(listen: [(host: String, port: Int)]) {
            self.listen = listen
        }
    }

    public let configuration: Configuration
    let engine: QueryEngine
    let group: any EventLoopGroup
    let logger: Logger
    /// The TCP connection limits in force.
    public let admission: TCPAdmission
    // Written by start() before any reader, then only read.
    private var channels: [any Channel] = []
    /// The addresses actually bound, UDP first then TCP for each configured address.
    public private(set) var udpAddresses: [SocketAddress] = []
    public private(set) var tcpAddresses: [SocketAddress] = []

    public init(configuration: Configuration, engine: QueryEngine, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.engine = engine
        self.group = group
        self.logger = logger
        let budget = DescriptorLimit.tcpConnectionBudget(limit: DescriptorLimit.current, requested: configuration.maxTCPConnections)
        admission = TCPAdmission(total: budget, perClient: configuration.maxTCPConnectionsPerClient)
    }

    /// Binds every socket; throws (naming the address) when one cannot be bound.
    public func start() async throws {
        for (host, port) in configuration.listen {
            // Port 0 lets the system choose for UDP; TCP must then get the same port, which
            // another socket may hold already: try again with a fresh choice (tests only).
            var attempt = 0
            while true {
                do {
                    try await bind(host: host, port: port)
                    break
                } catch where port == 0 && attempt < 20 {
                    attempt += 1
                }
            }
        }
    }

    func bind(host: String, port: Int) async throws {
        var udp: [any Channel] = []
        var boundPort = port
        do {
            for index in 0..<max(1, configuration.udpSocketsPerAddress) {
                let channel = try await bindUDP(host: host, port: boundPort, loop: group.next())
                udp.append(channel)
                if index == 0 { boundPort = channel.localAddress?.port ?? port }
            }
            let tcp = try await bindTCP(host: host, port: boundPort)
            channels += udp + [tcp]
            if let address = udp.first?.localAddress { udpAddresses.append(address) }
            if let address = tcp.localAddress { tcpAddresses.append(address) }
        } catch {
            for channel in udp { try? await channel.close() }
            throw error
        }
    }

    func bindUDP(host: String, port: Int, loop: any EventLoop) async throws -> any Channel {
        let engine = self.engine
        do {
            return try await DatagramBootstrap(group: loop)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(ChannelOptions.Types.SocketOption(level: .socket, name: NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .channelOption(.datagramVectorReadMessageCount, value: 16)
                .channelOption(.maxMessagesPerRead, value: 16)
                // Every datagram of a vector read gets a whole 64 KiB slot: a shorter slot would
                // cut large queries short without a word (recvmmsg's MSG_TRUNC is not seen).
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * (Configuration.maximumUDPQuery + 1)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(UDPQueryHandler(engine: engine))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw BindError(address: "\(host):\(port)", transport: "UDP", underlying: error)
        }
    }

    func bindTCP(host: String, port: Int) async throws -> any Channel {
        let engine = self.engine
        let timeout = configuration.tcpIdleTimeout
        let admission = self.admission
        let waterMark = ChannelOptions.Types.WriteBufferWaterMark(low: configuration.tcpOutputLimit / 2,
                                                                 high: configuration.tcpOutputLimit)
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.writeBufferWaterMark, value: waterMark)
                .childChannelInitializer { channel in
                    guard let source = channel.remoteAddress?.dnsIPAddress else { return channel.close() }
                    if let refusal = admission.admit(source) {
                        Counter(label: "switchyard_tcp_connections_refused_total", dimensions: [("reason", refusal.rawValue)]).increment()
                        return channel.close()
                    }
                    channel.closeFuture.whenComplete { _ in admission.release(source) }
                    return channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(ByteToMessageHandler(DNSMessageFramer()))
                        try pipeline.addHandler(TCPQueryHandler(engine: engine, source: source, messageTimeout: timeout))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw BindError(address: "\(host):\(port)", transport: "TCP", underlying: error)
        }
    }

    /// Serves until graceful shutdown (SIGTERM/SIGINT through the service group), then
    /// closes every socket.
    public func run() async throws {
        if channels.isEmpty { try await start() }
        let channels = self.channels
        // Closed on graceful shutdown, and also when the group is cancelled because another
        // service failed (the admin port taken, say): the server must not outlive it.
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                for channel in channels { try? await channel.closeFuture.get() }
            } onGracefulShutdown: {
                for channel in channels { channel.close(promise: nil) }
            }
        } onCancel: {
            for channel in channels { channel.close(promise: nil) }
        }
    }

    /// Closes every socket (tests, and shutdown without a service group).
    public func stop() async {
        for channel in channels { try? await channel.close() }
    }
}

/// A listen address that could not be bound, named for the operator.
public struct BindError: Error, CustomStringConvertible {
    public var address: String
    public var transport: String
    public var underlying: any Error
    public var description: String { "cannot listen on \(address) (\(transport)): \(underlying)" }
}
