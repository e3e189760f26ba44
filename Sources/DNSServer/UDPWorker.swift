import DNSWire
import NIOCore
import Zones
#if canImport(Glibc)
import Glibc
#endif

/// One thread answering UDP on its own sockets (one per listen address, SO_REUSEPORT
/// siblings of the other workers'): it waits in poll() for a datagram or the stop signal,
/// then reads a batch with recvmmsg, answers each datagram, and sends the replies with one
/// sendmmsg. The counts go to the metrics once a second and the query-log lines after
/// every batch, on this thread, between batches.
///
/// Unchecked Sendable: it is handed to its thread once, before that starts, and used by
/// that thread alone from then on.
final class UDPWorker: @unchecked Sendable {
    let sockets: [Int32]
    /// Readable once the server stops (a pipe nobody reads), waking every worker's poll.
    let stopSignal: Int32
    let responder: QueryResponder
    let batch: UDPBatch
    /// One lookup warm-up per batch slot, reused.
    var warmups: [LookupWarmup]
    /// Batches read in a row from one socket before the others and the timers get a turn.
    static let burst = 16
    static let flushInterval: Int64 = 1000
    /// The longest a worker sleeps in poll() (milliseconds).
    static let idleWake: Int32 = 1000

    init(sockets: [Int32], stopSignal: Int32, engine: QueryEngine, batchSize: Int, readLimit: Int) {
        self.sockets = sockets
        self.stopSignal = stopSignal
        responder = QueryResponder(engine: engine)
        // A reply never exceeds 1232 octets over UDP (SPEC §5); rejections are smaller.
        batch = UDPBatch(count: max(1, batchSize), requestSize: max(12, readLimit), replySize: 4096)
        warmups = [LookupWarmup](repeating: LookupWarmup(), count: max(1, batchSize))
    }

    /// Serves until the stop signal; returns with the counts and log lines handed over.
    func run() {
        var polled = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        polled.append(pollfd(fd: stopSignal, events: Int16(POLLIN), revents: 0))
        var request = ByteBufferAllocator().buffer(capacity: 4096)
        var flushDue: Int64?
        while true {
            // Woken at least once a second, so an idle worker lets go of a reloaded zone.
            let timeout = flushDue.map { Int32(clamping: max(0, $0 - UDPWorker.milliseconds())) } ?? UDPWorker.idleWake
            let ready = poll(&polled, nfds_t(polled.count), min(timeout, UDPWorker.idleWake))
            if ready < 0 && errno != EINTR { break }
            if polled[polled.count - 1].revents != 0 { break }
            if ready == 0 { responder.dropStaleSnapshot() }
            if ready > 0 {
                for index in sockets.indices where polled[index].revents != 0 {
                    serve(sockets[index], request: &request)
                }
                responder.flushLog()
            }
            let now = UDPWorker.milliseconds()
            if let due = flushDue, now >= due {
                responder.flushTally()
                flushDue = nil
            }
            if flushDue == nil && responder.hasCounts { flushDue = now + UDPWorker.flushInterval }
        }
        responder.flushTally()
        responder.flushLog()
    }

    /// Reads and answers batches from `socket` until it has no more waiting (or a burst's
    /// worth). A read error (an ICMP error queued for an earlier reply) concerns one client:
    /// it is consumed and the socket polled again.
    func serve(_ socket: Int32, request: inout ByteBuffer) {
        for _ in 0..<UDPWorker.burst {
            let count = batch.receive(from: socket)
            guard count > 0 else { return }
            if count > 1 { warm(count) }
            for slot in 0..<count { answer(slot, request: &request) }
            batch.send(on: socket)
            if count < batch.capacity { return }
        }
    }

    /// Walks each stage of the batch's lookups over all of its datagrams before the first
    /// is answered, so that their waits on memory overlap (see `LookupWarmup`).
    func warm(_ count: Int) {
        let zones = responder.currentZones()
        warmups.withUnsafeMutableBufferPointer { warmups in
            zones.warm(warmups, count: count) { batch.request($0).bytes }
        }
    }

    @inline(__always)
    func answer(_ slot: Int, request: inout ByteBuffer) {
        let (bytes, truncated) = batch.request(slot)
        guard let source = batch.source(slot) else { return }
        request.clear()
        request.writeBytes(bytes)
        guard responder.respond(to: request, whole: !truncated, from: source, transport: .udp) else { return }
        _ = responder.reply.withUnsafeReadableBytes { batch.setReply(slot, $0) }
    }

    static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
