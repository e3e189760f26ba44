import DNSWire
import NIOCore
import Routing

/// Splits a TCP stream into DNS messages by their two-octet length prefix (RFC 1035
/// §4.2.2, RFC 7766 §8).
struct DNSMessageFramer: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) else { return .needMoreData }
        guard buffer.readableBytes >= 2 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        let message = buffer.readSlice(length: Int(length))!
        context.fireChannelRead(wrapInboundOut(message))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A partial message at EOF cannot be answered; drop it.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}

/// Answers DNS over TCP: every framed query on the connection in order (pipelining,
/// RFC 7766 §6.2.1.1), closing connections that idle past the timeout.
final class TCPQueryHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let responder: QueryResponder
    let source: IPAddress

    init(engine: QueryEngine, source: IPAddress) {
        responder = QueryResponder(engine: engine, transport: .tcp)
        self.source = source
    }

    func handlerAdded(context: ChannelHandlerContext) { responder.start(on: context.eventLoop) }
    func handlerRemoved(context: ChannelHandlerContext) { responder.stop() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let reply = responder.respond(to: unwrapInboundIn(data), from: source, allocator: context.channel.allocator) else {
            // A response or a runt on a stream means a confused peer: hang up.
            context.close(promise: nil)
            return
        }
        var framed = context.channel.allocator.buffer(capacity: reply.readableBytes + 2)
        framed.writeInteger(UInt16(reply.readableBytes))
        framed.writeImmutableBuffer(reply)
        context.write(wrapOutboundOut(framed), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        responder.readComplete(context)
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
