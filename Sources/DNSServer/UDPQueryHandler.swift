import DNSWire
import NIOCore
import Routing

/// Answers DNS over UDP on one socket (one per event loop with SO_REUSEPORT): every
/// datagram is answered in turn, replies are flushed once per read burst.
final class UDPQueryHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let responder: QueryResponder

    init(engine: QueryEngine) {
        responder = QueryResponder(engine: engine, transport: .udp)
    }

    func handlerAdded(context: ChannelHandlerContext) { responder.start(on: context.eventLoop) }
    func handlerRemoved(context: ChannelHandlerContext) { responder.stop() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let source = envelope.remoteAddress.dnsIPAddress,
              let reply = responder.respond(to: envelope.data, from: source, allocator: context.channel.allocator) else { return }
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) { responder.readComplete(context) }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A failed send (ICMP unreachable and the like) concerns one client only: the
        // socket stays open for everyone else.
    }
}
