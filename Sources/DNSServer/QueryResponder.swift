import DNSWire
import NIOCore
import Routing

/// What one channel handler keeps between queries: its copy of the snapshots, its random
/// generator, its query counts and query-log lines, and the timer that hands the counts to
/// the metrics once a second. Owned by one event loop, so none of it needs a lock.
final class QueryResponder {
    let engine: QueryEngine
    let transport: Transport
    var cache = SnapshotCache()
    var random = SplitMix64()
    var tally = QueryTally()
    var log = QueryLogBuffer()
    var pendingFlush = false
    var flushTask: RepeatedTask?

    init(engine: QueryEngine, transport: Transport) {
        self.engine = engine
        self.transport = transport
    }

    /// Starts the once-a-second metrics hand-over on the handler's event loop.
    func start(on loop: any EventLoop) {
        flushTask = loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [weak self] _ in
            self?.tally.flush()
        }
    }

    func stop() {
        flushTask?.cancel()
        tally.flush()
        log.flush()
    }

    /// The reply to one request (nil: drop it); remembers that a flush is due.
    func respond(to request: ByteBuffer, from source: IPAddress, allocator: ByteBufferAllocator) -> ByteBuffer? {
        let reply = engine.respond(to: request, from: source, transport: transport, cache: &cache, random: &random,
                                   tally: &tally, log: &log, allocator: allocator)
        if reply != nil { pendingFlush = true }
        return reply
    }

    /// At the end of a read burst: one flush for all the replies written, and the log lines.
    func readComplete(_ context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
        log.flush()
    }
}
