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
    var pendingFlush = false

    init(engine: QueryEngine) {
        self.engine = engine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let source = envelope.remoteAddress.dnsIPAddress else { return }
        guard let reply = engine.respond(to: envelope.data, from: source, transport: .udp, cache: &cache,
                                         random: &random, allocator: context.channel.allocator) else { return }
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)), promise: nil)
        pendingFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A failed send (ICMP unreachable and the like) concerns one client only: the
        // socket stays open for everyone else.
    }
}
