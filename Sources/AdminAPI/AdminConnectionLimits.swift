import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// How many connections the admin API holds at once and how long a client has to send a
/// request (SPEC §5: it bounds connections and the time to send a request).
public struct AdminConnectionLimits: Sendable {
    public static let defaultMaxConnections = 64
    public static let defaultRequestTimeout: Duration = .seconds(10)

    /// Connections beyond this are answered 503 and closed at once.
    public var maxConnections: Int
    /// A request must arrive whole within this, counted from the opening of the connection
    /// or the end of the previous response; bytes trickled meanwhile do not extend it. An
    /// idle kept-alive connection is closed after it too.
    public var requestTimeout: Duration

    public init(maxConnections: Int = AdminConnectionLimits.defaultMaxConnections,
                requestTimeout: Duration = AdminConnectionLimits.defaultRequestTimeout) {
        self.maxConnections = max(1, maxConnections)
        self.requestTimeout = requestTimeout
    }
}

/// Hummingbird's HTTP/1 child channel with the admin limits in front: a connection count
/// checked as each connection becomes active, and a whole-request deadline.
struct AdminHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let open: OpenConnections

    static func builder(_ limits: AdminConnectionLimits) -> HTTPServerBuilder {
        let open = OpenConnections(limit: limits.maxConnections)
        let timeout = TimeAmount.nanoseconds(Int64(limits.requestTimeout.components.seconds) * 1_000_000_000
            + limits.requestTimeout.components.attoseconds / 1_000_000_000)
        return HTTPServerBuilder { responder in
            AdminHTTPChannel(base: HTTP1Channel(responder: responder,
                                                configuration: .init(additionalChannelHandlers: [RequestDeadlineHandler(timeout: timeout)])),
                             open: open)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionCapHandler(open: open))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// The number of admin connections open, shared by all event loops.
final class OpenConnections: Sendable {
    let limit: Int
    let count = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    func admit() -> Bool {
        if count.add(1, ordering: .relaxed).newValue <= limit { return true }
        count.subtract(1, ordering: .relaxed)
        return false
    }

    func release() { count.subtract(1, ordering: .relaxed) }
}

/// First in the pipeline: counts the connection in, or answers 503 and closes it when the
/// cap is reached (a refusal the client can see, rather than a connect that hangs in the
/// listen backlog).
final class ConnectionCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let open: OpenConnections
    var decided = false
    var admitted = false

    init(open: OpenConnections) { self.open = open }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { decide(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        decide(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard admitted else { return }
        context.fireChannelRead(data)
    }

    func decide(_ context: ChannelHandlerContext) {
        guard !decided else { return }
        decided = true
        if open.admit() {
            admitted = true
            context.channel.closeFuture.whenComplete { [open] _ in open.release() }
            return
        }
        let body = "{\"error\":\"too many admin API connections (at most \(open.limit))\"}"
        let reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply)), promise: nil)
        context.close(promise: nil)
    }
}

/// Closes a connection whose request has not arrived whole within the deadline. The clock
/// starts when the connection opens and again when a response has been sent, and stops
/// only at the end of a request: bytes trickled meanwhile do not move it.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let timeout: TimeAmount
    var timer: Scheduled<Void>?
    var requestsEnded = 0
    var responsesEnded = 0

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive && timer == nil { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil { arm(context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) {
            requestsEnded += 1
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            responsesEnded += 1
            // Pipelined requests already received are being answered: no clock for them.
            if responsesEnded >= requestsEnded { arm(context) }
        }
        context.write(data, promise: promise)
    }

    func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func disarm() {
        timer?.cancel()
        timer = nil
    }
}
