import DNSWire
import NIOCore
import Routing
import ZoneTransfer

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
/// RFC 7766 §6.2.1.1), within SPEC §5's limits for slow and hostile clients:
/// - each message must arrive whole within `messageTimeout` of the previous one (or of
///   the connection opening): trickled bytes do not extend it, and an idle connection
///   is closed after the same time;
/// - replies queue up to the channel's write-buffer high-water mark (64 KiB); past it
///   the connection is no longer read, a query that still arrives closes it, and one
///   that never drains is closed by the message deadline;
/// - a zone transfer's messages are written only while the channel is writable, the
///   next when it drains; each one written counts as progress for the deadline, and
///   queries pipelined behind the transfer (a few at most) wait for its end.
final class TCPQueryHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let responder: QueryResponder
    let source: IPAddress
    /// Hands the counts to the metrics a second after the first one counted.
    var flushTask: Scheduled<Void>?
    let messageTimeout: TimeAmount
    /// When the last whole message arrived (or the connection opened).
    var lastMessage = NIODeadline.now()
    var deadline: Scheduled<Void>?
    /// A read the channel asked for while replies were backed up, issued once they drain.
    var readHeldBack = false
    var pendingFlush = false
    var closing = false
    /// The zone transfer being sent, and the requests that arrived behind it.
    var transfer: TransferStream?
    var waiting: [ByteBuffer] = []
    static let maximumWaiting = 8

    init(engine: QueryEngine, source: IPAddress, messageTimeout: TimeAmount) {
        responder = QueryResponder(engine: engine)
        self.source = source
        self.messageTimeout = messageTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        lastMessage = .now()
        armDeadline(context: context, at: lastMessage + messageTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        flushTask?.cancel()
        flushTask = nil
        responder.flushTally()
        responder.flushLog()
    }

    /// Hands the counts to the metrics a second after the first one counted; the next
    /// query after that schedules the next hand-over, so an idle connection costs no timer.
    func scheduleTallyFlush(context: ChannelHandlerContext) {
        guard flushTask == nil, responder.hasCounts else { return }
        flushTask = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { [self] in
            flushTask = nil
            responder.flushTally()
        }
    }

    /// One timer per connection, re-armed only when it fires: a message that arrives
    /// just records the time, so pipelined queries cost no timer work.
    func armDeadline(context: ChannelHandlerContext, at due: NIODeadline) {
        deadline = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            let due = lastMessage + messageTimeout
            if NIODeadline.now() >= due {
                close(context, reason: .timeout)
            } else {
                armDeadline(context: context, at: due)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        if transfer != nil {
            guard waiting.count < TCPQueryHandler.maximumWaiting else {
                close(context, reason: .backpressure)
                return
            }
            waiting.append(unwrapInboundIn(data))
            return
        }
        handle(unwrapInboundIn(data), context: context)
    }

    func handle(_ request: ByteBuffer, context: ChannelHandlerContext) {
        guard context.channel.isWritable else {
            // 64 KiB of replies are waiting and the client sends more: it is not reading.
            close(context, reason: .backpressure)
            return
        }
        lastMessage = .now()
        guard responder.respond(to: request, from: source, transport: .tcp) else {
            // A response or a runt on a stream means a confused peer: hang up.
            close(context, reason: nil)
            return
        }
        if let stream = responder.takeTransfer() {
            if pendingFlush {
                pendingFlush = false
                context.flush()
            }
            transfer = stream
            scheduleTallyFlush(context: context)
            sendTransfer(context: context)
            return
        }
        // The reply carries its length already; the channel keeps this copy until it is written.
        context.write(wrapOutboundOut(responder.reply), promise: nil)
        pendingFlush = true
        scheduleTallyFlush(context: context)
    }

    /// At the end of a read burst: one flush for all the replies written, and the log lines.
    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
        responder.flushLog()
        context.fireChannelReadComplete()
    }

    /// Writes the transfer's next messages while the channel takes them; at its end, answers
    /// the requests that waited behind it.
    func sendTransfer(context: ChannelHandlerContext) {
        guard let stream = transfer else { return }
        while context.channel.isWritable && !closing {
            guard let message = stream.next(allocator: context.channel.allocator) else {
                transfer = nil
                // One at a time: a waiting request may start a transfer of its own.
                while transfer == nil && !closing && !waiting.isEmpty { handle(waiting.removeFirst(), context: context) }
                if transfer == nil, pendingFlush {
                    pendingFlush = false
                    context.flush()
                }
                return
            }
            // A client that keeps reading is making progress: the deadline counts from here.
            lastMessage = .now()
            context.writeAndFlush(wrapOutboundOut(message), promise: nil)
        }
    }

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readHeldBack = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && transfer != nil { sendTransfer(context: context) }
        if context.channel.isWritable && readHeldBack {
            readHeldBack = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func close(_ context: ChannelHandlerContext, reason: TCPCloseReason?) {
        guard !closing else { return }
        closing = true
        if let reason {
            responder.countTCPClose(reason)
            scheduleTallyFlush(context: context)
        }
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        close(context, reason: nil)
    }
}

/// Why the server closed a TCP connection itself, as counted in `/metrics`.
public enum TCPCloseReason: String, Sendable, CaseIterable {
    /// A message did not arrive whole within the deadline (idle or trickling client).
    case timeout
    /// Replies backed up past the write-buffer limit: the client does not read.
    case backpressure
}
