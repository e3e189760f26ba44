import DNSWire
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Zones

/// Tells secondaries a zone changed (RFC 1996): a NOTIFY (opcode 4, AA, the zone's SOA
/// as question and answer) over UDP to each `--notify` target, signed when a TSIG key is
/// set, sent again after 1, 2, 4 and 8 seconds until a response with its ID comes back,
/// and then given up on (the secondary's own refresh still finds the change).
public final class NotifySender: Sendable {
    public let targets: [SocketAddress]
    public let key: TSIGKey?
    /// How long to wait for each attempt's response; one attempt per entry.
    public let timeouts: [TimeAmount]
    let group: any EventLoopGroup
    let logger: Logger

    public init(targets: [SocketAddress], key: TSIGKey?, group: any EventLoopGroup, logger: Logger,
                timeouts: [TimeAmount] = [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16)]) {
        self.targets = targets
        self.key = key
        self.timeouts = timeouts
        self.group = group
        self.logger = logger
    }

    /// Parses `ADDR:PORT` (`[V6]:PORT` for IPv6) for `--notify`.
    public static func target(_ text: String) -> SocketAddress? {
        var host = Substring(text)
        guard let colon = host.lastIndex(of: ":") else { return nil }
        let portText = host[host.index(after: colon)...]
        host = host[..<colon]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard let port = Int(portText), (1...65535).contains(port), IPAddress(host) != nil else { return nil }
        return try? SocketAddress(ipAddress: String(host), port: port)
    }

    /// Starts notifying every target of each zone, without waiting for the answers.
    public func notify(_ zones: [Zone]) {
        for zone in zones {
            for target in targets {
                Task { await self.send(zone, to: target) }
            }
        }
    }

    /// Notifies one target of one zone's current version; true when it answered.
    @discardableResult
    public func send(_ zone: Zone, to target: SocketAddress) async -> Bool {
        let id = UInt16.random(in: 0...UInt16.max)
        let message = NotifySender.message(zone: zone, id: id, key: key)
        let done = NotifyOutcome(group.next().makePromise(of: Bool.self))
        let timeouts = self.timeouts
        let bind = target.protocol == .inet6 ? "::" : "0.0.0.0"
        do {
            let channel = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            NotifyExchange(message: message, id: id, target: target, timeouts: timeouts, done: done))
                    }
                }
                .bind(host: bind, port: 0).get()
            let answered = try await done.promise.futureResult.get()
            try? await channel.close()
            if answered {
                logger.info("NOTIFY for \(zone.origin) serial \(zone.serial) acknowledged by \(target)")
            } else {
                logger.warning("NOTIFY for \(zone.origin) serial \(zone.serial): no answer from \(target) after \(timeouts.count) tries")
            }
            return answered
        } catch {
            done.finish(false)
            logger.warning("NOTIFY for \(zone.origin) to \(target) failed: \(error)")
            return false
        }
    }

    /// The NOTIFY message for `zone` (RFC 1996 §3.7: QNAME the zone, QTYPE SOA, the SOA
    /// in the answer section as a hint), signed with `key` when given.
    public static func message(zone: Zone, id: UInt16, key: TSIGKey?) -> ByteBuffer {
        var writer = WireWriter(buffer: ByteBuffer())
        writer.writeUInt16(id)
        writer.writeUInt16(UInt16(Opcode.notify.rawValue) << 11 | Header.aaMask)
        writer.writeUInt16(1)
        writer.writeUInt16(1)
        writer.writeUInt32(0)
        writer.writeQuestionName(zone.origin)
        writer.writeUInt16(RecordType.soa.rawValue)
        writer.writeUInt16(RecordClass.in.rawValue)
        TransferRecordWriter.write(TransferRecord(soaOf: zone), into: &writer)
        var buffer = writer.buffer
        if let key {
            var signer = TSIGSigner(key: key, requestMAC: nil)
            signer.sign(&buffer, messageStart: 0)
        }
        return buffer
    }
}

/// One NOTIFY exchange on its own UDP socket: sends, re-sends on each timeout, and
/// finishes at the first response carrying the NOTIFY's ID, or when the tries run out.
final class NotifyExchange: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let message: ByteBuffer
    let id: UInt16
    let target: SocketAddress
    let timeouts: [TimeAmount]
    let done: NotifyOutcome
    var finished = false

    init(message: ByteBuffer, id: UInt16, target: SocketAddress, timeouts: [TimeAmount], done: NotifyOutcome) {
        self.message = message
        self.id = id
        self.target = target
        self.timeouts = timeouts
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        send(attempt: 0, context: context)
        context.fireChannelActive()
    }

    func send(attempt: Int, context: ChannelHandlerContext) {
        guard !finished else { return }
        guard attempt < timeouts.count else {
            finish(false)
            return
        }
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: target, data: message)), promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: timeouts[attempt]) { [self] in
            send(attempt: attempt + 1, context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data).data
        guard let replyID = reply.getInteger(at: reply.readerIndex, as: UInt16.self),
              let flags = reply.getInteger(at: reply.readerIndex + 2, as: UInt16.self),
              replyID == id, flags & Header.qrMask != 0, (flags >> 11) & 0xF == UInt16(Opcode.notify.rawValue) else { return }
        finish(true)
    }

    /// A channel closed early (the server shutting down) ends the exchange unanswered, so
    /// no one waits on it forever.
    func handlerRemoved(context: ChannelHandlerContext) {
        finish(false)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // An ICMP port unreachable (secondary not up yet) arrives as an error: keep trying.
    }

    func finish(_ answered: Bool) {
        guard !finished else { return }
        finished = true
        done.finish(answered)
    }
}

/// Whether a NOTIFY was answered, settled once by whichever comes first: the exchange's
/// end, its channel closing, or a failed bind.
final class NotifyOutcome: Sendable {
    let promise: EventLoopPromise<Bool>
    let settled = Mutex(false)

    init(_ promise: EventLoopPromise<Bool>) {
        self.promise = promise
    }

    func finish(_ answered: Bool) {
        let first = settled.withLock { settled in
            defer { settled = true }
            return !settled
        }
        if first { promise.succeed(answered) }
    }
}
