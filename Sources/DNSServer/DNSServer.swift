import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif
import ServiceLifecycle

/// Serves DNS over UDP and TCP on every configured address. UDP is answered by worker
/// threads of its own, outside the event loops: each has one socket per address
/// (SO_REUSEPORT spreads datagrams across them) and reads and answers datagrams in batches
/// (`UDPWorker`). TCP is served on the event loops, one listener per address. TCP clients
/// are held to SPEC §5's limits so slow or hostile ones cannot starve the others: a
/// connection cap per client network and in total, a deadline for each whole message, and
/// a bound on replies queued for a client that does not read.
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
        /// UDP worker threads, each with its own socket on every address.
        public var udpSocketsPerAddress = 1
        /// Datagrams read (and replies sent) per system call by a UDP worker.
        public var udpBatchSize = 32
        /// The largest UDP query read whole: a longer one arrives cut short and is answered
        /// FORMERR. The default reads every datagram whole (SPEC §5); tests lower it.
        public var udpReadLimit = Configuration.maximumUDPQuery
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
    /// The UDP sockets, per listen address, one per worker.
    private var udpSockets: [[Int32]] = []
    /// The stop signal: a pipe whose read end every worker polls; written once to stop them.
    private var stopSignal: (read: Int32, write: Int32) = (-1, -1)
    let workerExits = WorkerExits()
    /// Whether the stop signal was sent, and whether the sockets are closed.
    private let shutdownState = NIOLockedValueBox((signalled: false, closed: false))
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
        try startWorkers()
    }

    func bind(host: String, port: Int) async throws {
        var sockets: [Int32] = []
        let udpAddress: SocketAddress
        do {
            var address = try SocketAddress.makeAddressResolvingHost(host, port: port)
            for index in 0..<max(1, configuration.udpSocketsPerAddress) {
                sockets.append(try UDPSocket.bind(address))
                if index == 0 { address = try UDPSocket.localAddress(sockets[0]) }
            }
            udpAddress = address
        } catch {
            for fd in sockets { close(fd) }
            throw BindError(address: "\(host):\(port)", transport: "UDP", underlying: error)
        }
        do {
            let tcp = try await bindTCP(host: host, port: udpAddress.port ?? port)
            channels.append(tcp)
            udpSockets.append(sockets)
            udpAddresses.append(udpAddress)
            if let address = tcp.localAddress { tcpAddresses.append(address) }
        } catch {
            for fd in sockets { close(fd) }
            throw error
        }
    }

    /// Starts one thread per UDP worker, each reading its socket of every address.
    func startWorkers() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw IOError(errnoCode: errno, reason: "pipe") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        stopSignal = (ends[0], ends[1])
        guard !udpSockets.isEmpty else { return }
        let count = max(1, configuration.udpSocketsPerAddress)
        workerExits.expect(count)
        for index in 0..<count {
            let worker = UDPWorker(sockets: udpSockets.map { $0[index] }, stopSignal: stopSignal.read, engine: engine,
                                   batchSize: configuration.udpBatchSize, readLimit: configuration.udpReadLimit)
            let exits = workerExits
            let thread = Thread {
                worker.run()
                exits.exited()
            }
            thread.name = "udp-\(index)"
            thread.start()
        }
    }

    /// Wakes every UDP worker to stop (once).
    func signalStop() {
        let write = shutdownState.withLockedValue { state -> Int32? in
            guard !state.signalled, stopSignal.write >= 0 else { return nil }
            state.signalled = true
            return stopSignal.write
        }
        guard let write else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(write, &byte, 1)
    }

    /// Closes the UDP sockets and the stop signal once the workers are gone (once).
    func closeUDP() {
        let close = shutdownState.withLockedValue { state -> Bool in
            guard !state.closed else { return false }
            state.closed = true
            return true
        }
        guard close else { return }
        for fd in udpSockets.joined() { Glibc.close(fd) }
        if stopSignal.read >= 0 { Glibc.close(stopSignal.read) }
        if stopSignal.write >= 0 { Glibc.close(stopSignal.write) }
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
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await workerExits.wait()
                for channel in channels { try? await channel.closeFuture.get() }
            } onGracefulShutdown: {
                self.signalStop()
                for channel in channels { channel.close(promise: nil) }
            }
        } onCancel: {
            self.signalStop()
            for channel in channels { channel.close(promise: nil) }
        }
        closeUDP()
    }

    /// Stops the UDP workers and closes every socket (tests, and shutdown without a
    /// service group).
    public func stop() async {
        signalStop()
        await workerExits.wait()
        closeUDP()
        for channel in channels { try? await channel.close() }
    }
}

/// Counts the UDP worker threads still running, and wakes whoever waits for all to end.
final class WorkerExits: Sendable {
    let state = NIOLockedValueBox((running: 0, waiters: [CheckedContinuation<Void, Never>](), lastExit: ContinuousClock.Instant?.none))

    func expect(_ count: Int) {
        state.withLockedValue { $0.running += count }
    }

    func exited() {
        let now = ContinuousClock.now
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.running == 0 else { return [] }
            state.lastExit = now
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// When the last worker ended, as its own thread saw it (the time an awaiting task
    /// learns of it also depends on how busy the task pool is).
    var lastExit: ContinuousClock.Instant? { state.withLockedValue { $0.lastExit } }

    /// Returns once no worker runs.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLockedValue { state -> Bool in
                if state.running == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// A listen address that could not be bound, named for the operator.
public struct BindError: Error, CustomStringConvertible {
    public var address: String
    public var transport: String
    public var underlying: any Error
    public var description: String { "cannot listen on \(address) (\(transport)): \(underlying)" }
}
