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

    let engine: QueryEngine
    let source: IPAddress
    var cache = SnapshotCache()
    var random = SplitMix64()
    var tally = QueryTally()
    var log = QueryLogBuffer()
    var pendingFlush = false
    var flushTask: RepeatedTask?

    init(engine: QueryEngine, source: IPAddress) {
        self.engine = engine
        self.source = source
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
        let request = unwrapInboundIn(data)
        guard let reply = engine.respond(to: request, from: source, transport: .tcp, cache: &cache,
                                         random: &random, tally: &tally, log: &log, allocator: context.channel.allocator) else {
            // A response or a runt on a stream means a confused peer: hang up.
            context.close(promise: nil)
            return
        }
        var framed = context.channel.allocator.buffer(capacity: reply.readableBytes + 2)
        framed.writeInteger(UInt16(reply.readableBytes))
        framed.writeImmutableBuffer(reply)
        context.write(wrapOutboundOut(framed), promise: nil)
        pendingFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
        log.flush()
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
