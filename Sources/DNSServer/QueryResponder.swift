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
    var flushTask: Scheduled<Void>?

    init(engine: QueryEngine, transport: Transport) {
        self.engine = engine
        self.transport = transport
    }

    var loop: (any EventLoop)?

    /// Remembers the handler's event loop; the metrics hand-over is scheduled there once
    /// something has been counted, so an idle connection costs no timer.
    func start(on loop: any EventLoop) {
        self.loop = loop
    }

    func stop() {
        flushTask?.cancel()
        flushTask = nil
        tally.flush(to: engine.observer)
        log.flush()
    }

    /// Hands the counts to the metrics a second after the first one counted; the next
    /// query after that schedules the next hand-over.
    func scheduleTallyFlush() {
        guard flushTask == nil, let loop else { return }
        flushTask = loop.assumeIsolated().scheduleTask(in: .seconds(1)) { [self] in
            flushTask = nil
            tally.flush(to: engine.observer)
        }
    }

    /// The reply to one request (nil: drop it); remembers that a flush is due.
    func respond(to request: ByteBuffer, from source: IPAddress, allocator: ByteBufferAllocator) -> ByteBuffer? {
        let reply = engine.respond(to: request, from: source, transport: transport, cache: &cache, random: &random,
                                   tally: &tally, log: &log, allocator: allocator)
        if reply != nil { pendingFlush = true }
        if flushTask == nil { scheduleTallyFlush() }
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
