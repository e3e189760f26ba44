import DNSWire
import NIOCore
import Zones

/// The messages of one answer to a transfer request, produced one at a time so the
/// connection can send them as the client reads (backpressure): records packed into
/// messages of at most `limit` octets, names compressed within each message, the question
/// in the first, every message signed when the request was (RFC 5936 §2.2, RFC 8945 §5.3).
/// Also the one-message answers: a single SOA, REFUSED, NOTAUTH with its TSIG error.
public final class TransferStream {
    enum Source {
        /// These records, in order.
        case records([TransferRecord])
        /// The zone's SOA, every other record of it, the SOA again (RFC 5936 §2.2).
        case zone(Zone)
    }

    /// Room left in every message for the TSIG record (RFC 8945 §4.2; a 255-octet key name
    /// at most).
    public static let tsigReserve = 400
    public static let maximumMessage = 65535

    let id: UInt16
    let flags: UInt16
    let question: Question
    let source: Source
    let limit: Int
    /// Prepend the two-octet length (TCP).
    let prefixed: Bool
    var signer: TSIGSigner?
    /// A TSIG error answer's record, unsigned (BADKEY, BADSIG: RFC 8945 §5.2).
    var unsignedError: (record: TSIG.Record, error: TSIG.ErrorCode)?
    var messagesSent = 0

    var pending: [TransferRecord]
    var pendingIndex = 0
    var nodeIndex = 0
    var trailerQueued = false

    init(query: Query, rcode: ResponseCode, source: Source, signer: TSIGSigner?, prefixed: Bool,
         limit: Int = TransferStream.maximumMessage - TransferStream.tsigReserve) {
        id = query.id
        // QR and the request's opcode and RD; AA on a real answer (RFC 5936 §2.2.1).
        let echoed = query.flags & (Header.rdMask | 0x7800)
        flags = Header.qrMask | echoed | (rcode == .noError ? Header.aaMask : 0) | (rcode.rawValue & 0xF)
        question = query.question
        self.source = source
        self.signer = signer
        self.prefixed = prefixed
        self.limit = min(limit, TransferStream.maximumMessage - TransferStream.tsigReserve)
        switch source {
        case .records(let records): pending = records
        case .zone(let zone): pending = [TransferRecord(soaOf: zone)]
        }
    }

    /// The answer's rcode (NOERROR for a transfer).
    public var rcode: ResponseCode { ResponseCode(rawValue: flags & 0xF) }

    /// The next record to send, reading the zone one name at a time.
    func peek() -> TransferRecord? {
        while pendingIndex >= pending.count {
            guard case .zone(let zone) = source, !trailerQueued else { return nil }
            pendingIndex = 0
            if nodeIndex < zone.trie.count {
                let node = zone.trie.node(Int32(nodeIndex))
                nodeIndex += 1
                let owner = node.name
                pending = []
                for set in node.rrsets where !(set.type == .soa && node.flags.contains(.apex)) {
                    set.data.forEachRecord { pending.append(TransferRecord(owner: owner, type: set.type, ttl: set.ttl, rdata: Array($0))) }
                }
            } else {
                pending = [TransferRecord(soaOf: zone)]
                trailerQueued = true
            }
        }
        return pending[pendingIndex]
    }

    /// The next message, or nil when all were sent.
    public func next(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer? {
        let record = peek()
        guard record != nil || messagesSent == 0 else { return nil }
        var buffer = allocator.buffer(capacity: record == nil ? 512 : min(limit + TransferStream.tsigReserve + 2, 16 * 1024))
        if prefixed { buffer.writeInteger(UInt16(0)) }
        let start = buffer.writerIndex
        var writer = WireWriter(buffer: buffer)
        writer.writeUInt16(id)
        writer.writeUInt16(flags)
        writer.writeUInt16(messagesSent == 0 ? 1 : 0)
        writer.writeUInt32(0)
        writer.writeUInt16(0)
        if messagesSent == 0 {
            writer.writeQuestionName(question.name)
            writer.writeUInt16(question.type.rawValue)
            writer.writeUInt16(question.recordClass.rawValue)
        }
        var count: UInt16 = 0
        while let record = peek() {
            let mark = writer.mark
            TransferRecordWriter.write(record, into: &writer)
            if writer.count > limit && count > 0 {
                writer.rollBack(to: mark)
                break
            }
            // A record alone over the limit still goes out (it fits 64 KiB: RDATA is at most 65,535 octets).
            count += 1
            pendingIndex += 1
            if count == UInt16.max { break }
        }
        writer.setUInt16(count, at: 6)
        buffer = writer.buffer
        if signer != nil {
            signer!.sign(&buffer, messageStart: start)
        } else if let (record, error) = unsignedError {
            TSIGSigner.appendRecord(to: &buffer, messageStart: start, key: TSIGKey(name: record.keyName, secret: []),
                                    time: record.timeSigned, mac: [], originalID: record.originalID, error: error.rawValue,
                                    other: [], algorithm: record.algorithm)
        }
        if prefixed { buffer.setInteger(UInt16(truncatingIfNeeded: buffer.writerIndex - start), at: start - 2) }
        messagesSent += 1
        return buffer
    }

    /// Every message at once (for UDP, tests and tools).
    public func allMessages() -> [ByteBuffer] {
        var messages: [ByteBuffer] = []
        while let message = next() { messages.append(message) }
        return messages
    }
}
