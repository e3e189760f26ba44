import CUDPBatch
import DNSWire
#if canImport(Glibc)
import Glibc
#endif

/// One worker's recvmmsg/sendmmsg batch: request and reply slots, source addresses and
/// message headers allocated once and reused for every batch (see CUDPBatch).
final class UDPBatch {
    let batch: OpaquePointer
    let capacity: Int

    /// `count` slots of `requestSize` octets for queries (a longer datagram arrives cut
    /// short and flagged) and `replySize` for replies.
    init(count: Int, requestSize: Int, replySize: Int) {
        guard let batch = cudp_batch_create(Int32(count), Int32(requestSize), Int32(replySize)) else {
            fatalError("cannot allocate a UDP batch of \(count) × \(requestSize) octets")
        }
        self.batch = batch
        capacity = count
    }

    deinit { cudp_batch_destroy(batch) }

    /// Reads the datagrams waiting on `socket`, up to the batch's size, without waiting:
    /// how many (0 when none), or -errno.
    func receive(from socket: Int32) -> Int {
        Int(cudp_batch_receive(batch, socket))
    }

    /// The request in `slot`, and whether the kernel cut it short.
    func request(_ slot: Int) -> (bytes: UnsafeRawBufferPointer, truncated: Bool) {
        var length: Int32 = 0
        var truncated = false
        let start = cudp_batch_request(batch, Int32(slot), &length, &truncated)
        return (UnsafeRawBufferPointer(start: start, count: Int(length)), truncated)
    }

    /// The address the request in `slot` came from; nil for a family other than IPv4/IPv6.
    func source(_ slot: Int) -> IPAddress? {
        let address = UnsafeRawPointer(cudp_batch_source(batch, Int32(slot))!)
        switch Int32(address.load(as: sockaddr.self).sa_family) {
        case AF_INET:
            let v4 = address.load(as: sockaddr_in.self)
            return .v4(DNSWire.IPv4Address(UInt32(bigEndian: v4.sin_addr.s_addr)))
        case AF_INET6:
            let v6 = address.load(as: sockaddr_in6.self)
            let words = withUnsafeBytes(of: v6.sin6_addr) {
                (UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)), UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            return IPAddress.v6(DNSWire.IPv6Address(high: words.0, low: words.1)).unmapped
        default:
            return nil
        }
    }

    /// The source address of `slot` as the kernel wrote it (tests change it to make a send fail).
    func sourceAddress(_ slot: Int) -> UnsafeMutablePointer<sockaddr> {
        cudp_batch_source(batch, Int32(slot))!
    }

    /// Sets the reply for `slot`; false (and no reply) when it does not fit the slot.
    func setReply(_ slot: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count <= Int(cudp_batch_reply_size(batch)), let base = bytes.baseAddress else { return false }
        cudp_batch_reply(batch, Int32(slot))!.update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        cudp_batch_set_reply_length(batch, Int32(slot), Int32(bytes.count))
        return true
    }

    /// Sends every reply set since the last `receive`; a reply the kernel refuses is
    /// skipped, the others still go. How many were sent and how many failed.
    @discardableResult
    func send(on socket: Int32) -> (sent: Int, failed: Int) {
        var failed: Int32 = 0
        let sent = cudp_batch_send(batch, socket, &failed)
        return (Int(sent), Int(failed))
    }
}
