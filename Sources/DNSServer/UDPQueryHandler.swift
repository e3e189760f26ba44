import DNSWire
import NIOCore
import Routing

/// Answers DNS over UDP on one socket (one per event loop with SO_REUSEPORT): every
/// datagram is answered in turn, replies are flushed once per read burst.
final class UDPQueryHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let engine: QueryEngine
    var cache = SnapshotCache()
    var random = SplitMix64()
    var tally = QueryTally()
    var log = QueryLogBuffer()
    var pendingFlush = false
    var flushTask: RepeatedTask?

    init(engine: QueryEngine) {
        self.engine = engine
    }

    func handlerAdded(context: ChannelHandlerContext) {
        flushTask = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [weak self] _ in
            self?.tally.flush()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        flushTask?.cancel()
        tally.flush()
        log.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let source = envelope.remoteAddress.dnsIPAddress else { return }
        guard let reply = engine.respond(to: envelope.data, from: source, transport: .udp, cache: &cache,
                                         random: &random, tally: &tally, log: &log, allocator: context.channel.allocator) else { return }
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)), promise: nil)
        pendingFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
        log.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A failed send (ICMP unreachable and the like) concerns one client only: the
        // socket stays open for everyone else.
    }
}
