import DNSWire
import NIOCore
import Zones

/// Answers zone transfer requests (SPEC §9): who may transfer (`--allow-transfer`, and
/// the TSIG key when one is set), which zones may be transferred (those with no routed
/// name: a secondary would freeze one view of a routed answer), and what is sent — AXFR,
/// IXFR from the kept versions, or the single SOA that says "you are current" or "ask
/// over TCP". Shared by every connection; the only state is the history's, behind its lock.
public final class ZoneTransferService: Sendable {
    /// Clients that may transfer; empty (the default) allows none.
    public let allowed: [IPPrefix]
    public let key: TSIGKey?
    public let history: TransferHistory
    /// Largest message sent (at most 64 KiB less room for the TSIG record); lower in tests.
    public let messageLimit: Int
    /// Zones signed online (`--dnssec-keys`): never transferred, since a secondary would
    /// serve them without signatures under a parent's DS, and so without answers at all.
    public let signedOnline: Set<DomainName>

    public init(allowed: [IPPrefix], key: TSIGKey?, history: TransferHistory = TransferHistory(),
                messageLimit: Int = TransferStream.maximumMessage - TransferStream.tsigReserve,
                signedOnline: Set<DomainName> = []) {
        self.allowed = allowed
        self.key = key
        self.history = history
        self.messageLimit = messageLimit
        self.signedOnline = signedOnline
    }

    /// Whether `zone` may go to secondaries: plain, and not signed online.
    public func transfers(_ zone: Zone) -> Bool {
        ZoneTransferService.isPlain(zone) && !signedOnline.contains(zone.origin)
    }

    /// Takes a newly published zone set into the IXFR history; the zones that changed.
    public func publish(_ zones: ZoneSet) -> [Zone] {
        history.publish(zones, where: transfers)
    }

    /// True when no answer in the zone depends on the client or on health: no routing
    /// block and no ALIAS anywhere in it.
    public static func isPlain(_ zone: Zone) -> Bool { zone.trie.routedNodes.isEmpty }

    /// How a transfer request arrived.
    public enum Transport: Sendable { case udp, tcp }

    /// The answer to `query` (an AXFR or IXFR request whose raw octets are `request`) from
    /// `source`, over `transport`. Over TCP the messages have their length prefix; over
    /// UDP there is exactly one message.
    public func respond(to request: ByteBuffer, query: Query, source: IPAddress, zones: ZoneSet, transport: Transport,
                        now: UInt64 = TSIG.now()) -> TransferStream {
        let prefixed = transport == .tcp
        func reply(_ rcode: ResponseCode, _ content: TransferStream.Source = .records([]), signer: TSIGSigner? = nil) -> TransferStream {
            TransferStream(query: query, rcode: rcode, source: content, signer: signer, prefixed: prefixed, limit: messageLimit)
        }
        guard allowed.contains(where: { $0.contains(source) }) else { return reply(.refused) }
        var signer: TSIGSigner?
        let bytes = request.getBytes(at: request.readerIndex, length: request.readableBytes) ?? []
        let verdict = key.map { TSIG.verify(bytes, key: $0, now: now) } ?? TSIG.verifyWithoutKey(bytes)
        switch verdict {
        case .malformed:
            return reply(.formErr)
        case .failed(let error, let record):
            let stream = reply(.notAuth)
            if error == .badTime, let key {
                stream.signer = TSIGSigner(key: key, requestMAC: record.mac, now: now, error: .badTime)
            } else {
                stream.unsignedError = (record, error)
            }
            return stream
        case .unsigned:
            // A key is set: only signed requests may transfer.
            if key != nil { return reply(.refused) }
        case .valid(let requestMAC):
            signer = TSIGSigner(key: key!, requestMAC: requestMAC, now: now)
        }
        guard query.question.recordClass == .in, let zone = zones.zone(for: query.question.name),
              zone.origin == query.question.name, transfers(zone) else {
            return reply(.refused, signer: signer)
        }
        if query.question.type == .axfr {
            // AXFR needs TCP (RFC 5936 §4.2); BIND and Knot answer it over UDP with FORMERR.
            guard transport == .tcp else { return reply(.formErr, signer: signer) }
            return reply(.noError, .zone(zone), signer: signer)
        }
        let soa = TransferRecord(soaOf: zone)
        // IXFR: the client's serial is in the SOA of the request's authority section (RFC 1995 §3).
        guard let clientSerial = ZoneTransferService.clientSerial(in: request) else { return reply(.formErr, signer: signer) }
        if transport == .udp || clientSerial == zone.serial || SerialNumber(clientSerial) > SerialNumber(zone.serial) {
            // Current (or ahead of us), or over UDP where the answer would not fit: the single SOA (RFC 1995 §2, §4).
            return reply(.noError, .records([soa]), signer: signer)
        }
        guard let deltas = history.deltas(of: zone, from: clientSerial) else {
            // Not in the history: the AXFR form inside the IXFR answer (RFC 1995 §4).
            return reply(.noError, .zone(zone), signer: signer)
        }
        var records = [soa]
        for delta in deltas {
            records.append(delta.from)
            records += delta.deleted
            records.append(delta.to)
            records += delta.added
        }
        records.append(soa)
        return reply(.noError, .records(records), signer: signer)
    }

    /// Octets a TSIG record with our key takes (RFC 8945 §4.2): owner, fixed fields, the
    /// algorithm name and a SHA-256 MAC.
    public var signatureRoom: Int { key.map { $0.name.wire.count + 10 + TSIGKey.algorithm.wire.count + 16 + 32 } ?? 0 }

    /// Signs the answer to a signed query (`reply` from `messageStart`), or, when its
    /// signature does not hold, replaces the answer with NOTAUTH and the TSIG error (RFC
    /// 8945 §5.2). Without a key the answer goes out as it is, as before TSIG was known.
    public func sign(_ reply: inout ByteBuffer, messageStart: Int, request: ByteBuffer, query: Query, now: UInt64 = TSIG.now()) {
        guard let key else { return }
        let bytes = request.getBytes(at: request.readerIndex, length: request.readableBytes) ?? []
        let stream: TransferStream
        switch TSIG.verify(bytes, key: key, now: now) {
        case .unsigned:
            return
        case .valid(let requestMAC):
            var signer = TSIGSigner(key: key, requestMAC: requestMAC, now: now)
            signer.sign(&reply, messageStart: messageStart)
            return
        case .malformed:
            stream = TransferStream(query: query, rcode: .formErr, source: .records([]), signer: nil, prefixed: false)
        case .failed(let error, let record):
            stream = TransferStream(query: query, rcode: .notAuth, source: .records([]), signer: nil, prefixed: false)
            if error == .badTime {
                stream.signer = TSIGSigner(key: key, requestMAC: record.mac, now: now, error: .badTime)
            } else {
                stream.unsignedError = (record, error)
            }
        }
        guard var message = stream.next() else { return }
        reply.moveWriterIndex(to: messageStart)
        reply.writeBuffer(&message)
    }

    /// The serial of the SOA in an IXFR request's authority section.
    static func clientSerial(in request: ByteBuffer) -> UInt32? {
        var reader = WireReader(message: request)
        do {
            try reader.skip(4)
            let qd = try reader.readUInt16()
            let an = try reader.readUInt16()
            let ns = try reader.readUInt16()
            guard ns >= 1 else { return nil }
            try reader.skip(2)
            for _ in 0..<qd {
                try reader.skipName()
                try reader.skip(4)
            }
            for _ in 0..<an {
                try reader.skipName()
                try reader.skip(8)
                try reader.skip(Int(try reader.readUInt16()))
            }
            try reader.skipName()
            guard try reader.readUInt16() == RecordType.soa.rawValue else { return nil }
            try reader.skip(6)
            _ = try reader.readUInt16()
            _ = try reader.readName()
            _ = try reader.readName()
            return try reader.readUInt32()
        } catch {
            return nil
        }
    }
}

extension TSIG {
    /// With no key configured, a signed request names a key we do not have: BADKEY.
    static func verifyWithoutKey(_ message: [UInt8]) -> Verdict {
        do {
            guard let record = try record(in: message) else { return .unsigned }
            return .failed(.badKey, record)
        } catch {
            return .malformed
        }
    }
}
