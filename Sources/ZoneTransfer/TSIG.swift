import Crypto
import DNSWire
import Foundation
import NIOCore

/// Transaction signatures (RFC 8945) with hmac-sha256: reading and checking the TSIG
/// record of a request, and signing what the server sends.
public enum TSIG {
    public static let recordType = RecordType(250)
    /// Seconds a signature's time may differ from ours (RFC 8945 §10 recommends 300).
    public static let fudge: UInt16 = 300

    /// The TSIG error field (RFC 8945 §4.3), sent with rcode NOTAUTH.
    public enum ErrorCode: UInt16, Sendable {
        case none = 0
        case badSig = 16
        case badKey = 17
        case badTime = 18
    }

    /// The TSIG record at the end of a message's additional section.
    public struct Record: Sendable, Equatable {
        public var keyName: DomainName
        public var algorithm: DomainName
        public var timeSigned: UInt64
        public var fudge: UInt16
        public var mac: [UInt8]
        public var originalID: UInt16
        public var error: UInt16
        public var other: [UInt8]
        /// Where the record starts: what precedes it is what was signed.
        public var start: Int
    }

    /// What a request's signature says.
    public enum Verdict: Sendable, Equatable {
        /// No TSIG record.
        case unsigned
        /// Signed with the key, in time: the response is signed with `requestMAC` first.
        case valid(requestMAC: [UInt8])
        /// Signed, but not acceptably: answer NOTAUTH with this error (RFC 8945 §5.2).
        case failed(ErrorCode, Record)
        /// A TSIG record that does not parse, or is not the last record: FORMERR.
        case malformed
    }

    /// Finds the TSIG record of `message`; nil when there is none, throws when one is
    /// there but malformed or not last.
    public static func record(in message: [UInt8]) throws -> Record? {
        var reader = WireReader(message: ByteBuffer(bytes: message))
        guard reader.count >= 12 else { throw DNSWireError.truncated }
        try reader.skip(4)
        let qd = Int(try reader.readUInt16())
        let an = Int(try reader.readUInt16())
        let ns = Int(try reader.readUInt16())
        let ar = Int(try reader.readUInt16())
        for _ in 0..<qd {
            try reader.skipName()
            try reader.skip(4)
        }
        let total = an + ns + ar
        for index in 0..<total {
            let start = reader.offset
            let owner = try reader.readName()
            let type = try reader.readUInt16()
            let rrClass = try reader.readUInt16()
            _ = try reader.readUInt32()
            let length = Int(try reader.readUInt16())
            guard type == recordType.rawValue else {
                try reader.skip(length)
                continue
            }
            // RFC 8945 §5.1: a TSIG anywhere but last in the additional section is FORMERR.
            guard index == total - 1, ar > 0, rrClass == RecordClass.any.rawValue else { throw DNSWireError.truncated }
            let rdataEnd = reader.offset + length
            let algorithm = try reader.readName()
            let high = UInt64(try reader.readUInt16())
            let low = UInt64(try reader.readUInt32())
            let fudge = try reader.readUInt16()
            let macSize = Int(try reader.readUInt16())
            let mac = try reader.readBytes(macSize)
            let originalID = try reader.readUInt16()
            let error = try reader.readUInt16()
            let otherSize = Int(try reader.readUInt16())
            let other = try reader.readBytes(otherSize)
            guard reader.offset == rdataEnd, reader.remaining == 0 else { throw DNSWireError.truncated }
            return Record(keyName: owner, algorithm: algorithm, timeSigned: high << 32 | low, fudge: fudge, mac: mac,
                          originalID: originalID, error: error, other: other, start: start)
        }
        return nil
    }

    /// Checks the signature of a request against `key` at time `now` (seconds since 1970).
    public static func verify(_ message: [UInt8], key: TSIGKey, now: UInt64) -> Verdict {
        let found: Record?
        do { found = try record(in: message) } catch { return .malformed }
        guard let record = found else { return .unsigned }
        guard record.keyName.lowercased() == key.name, record.algorithm.lowercased() == TSIGKey.algorithm else {
            return .failed(.badKey, record)
        }
        // A MAC cut shorter than RFC 8945 §5.2.2.1 allows is not accepted; the full 32 octets are expected.
        guard record.mac.count == SHA256.byteCount else { return .failed(.badSig, record) }
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key.secret))
        hmac.update(data: unsignedPart(of: message, record: record))
        hmac.update(data: variables(key: key, time: record.timeSigned, fudge: record.fudge, error: record.error, other: record.other))
        let expected = Array(hmac.finalize())
        guard constantTimeEqual(expected, record.mac) else { return .failed(.badSig, record) }
        let skew = now > record.timeSigned ? now - record.timeSigned : record.timeSigned - now
        guard skew <= UInt64(record.fudge) else { return .failed(.badTime, record) }
        return .valid(requestMAC: record.mac)
    }

    /// The message as it was before the TSIG record was added: ARCOUNT one less and the
    /// original ID in place (RFC 8945 §4.3.1).
    static func unsignedPart(of message: [UInt8], record: Record) -> [UInt8] {
        var bytes = Array(message[0..<record.start])
        bytes[0] = UInt8(record.originalID >> 8)
        bytes[1] = UInt8(truncatingIfNeeded: record.originalID)
        let count = (UInt16(bytes[10]) << 8 | UInt16(bytes[11])) &- 1
        bytes[10] = UInt8(count >> 8)
        bytes[11] = UInt8(truncatingIfNeeded: count)
        return bytes
    }

    /// The TSIG variables of RFC 8945 §4.3.3, names in canonical (lower-case) form.
    static func variables(key: TSIGKey, time: UInt64, fudge: UInt16, error: UInt16, other: [UInt8]) -> [UInt8] {
        var bytes = key.name.lowercased().wire
        append(RecordClass.any.rawValue, to: &bytes)
        append(UInt32(0), to: &bytes)
        bytes += TSIGKey.algorithm.wire
        bytes += timers(time: time, fudge: fudge)
        append(error, to: &bytes)
        append(UInt16(other.count), to: &bytes)
        return bytes + other
    }

    static func timers(time: UInt64, fudge: UInt16) -> [UInt8] {
        var bytes: [UInt8] = []
        append(UInt16(truncatingIfNeeded: time >> 32), to: &bytes)
        append(UInt32(truncatingIfNeeded: time), to: &bytes)
        append(fudge, to: &bytes)
        return bytes
    }

    static func append<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
        var shift = I.bitWidth - 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
            shift -= 8
        }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for k in a.indices { difference |= a[k] ^ b[k] }
        return difference == 0
    }

    /// Seconds since 1970, as TSIG counts time.
    public static func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}

/// Signs the messages of one exchange in order (RFC 8945 §5.3): a request alone, or the
/// messages of a response, the first over the request's MAC, each later one over the
/// MAC before it.
public struct TSIGSigner: Sendable {
    public let key: TSIGKey
    /// The MAC the next signature covers first: the request's, then each message's own.
    var priorMAC: [UInt8]?
    var signedOne = false
    let time: UInt64
    /// The TSIG error the response carries (BADTIME answers are signed with it).
    let error: TSIG.ErrorCode
    let other: [UInt8]

    /// For a request (`requestMAC` nil) or the response to a request signed with `requestMAC`.
    public init(key: TSIGKey, requestMAC: [UInt8]?, now: UInt64 = TSIG.now(), error: TSIG.ErrorCode = .none) {
        self.key = key
        self.priorMAC = requestMAC
        self.time = now
        self.error = error
        // BADTIME carries our time in Other Data so the client can see the skew (RFC 8945 §5.2.3).
        if error == .badTime {
            var bytes: [UInt8] = []
            TSIG.append(UInt16(truncatingIfNeeded: now >> 32), to: &bytes)
            TSIG.append(UInt32(truncatingIfNeeded: now), to: &bytes)
            other = bytes
        } else {
            other = []
        }
    }

    /// Appends a signed TSIG record to the message in `buffer` that starts at `start`
    /// (after any length prefix), and counts it in ARCOUNT.
    public mutating func sign(_ buffer: inout ByteBuffer, messageStart start: Int) {
        let message = buffer.getBytes(at: start, length: buffer.writerIndex - start) ?? []
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key.secret))
        if let priorMAC {
            var length: [UInt8] = []
            TSIG.append(UInt16(priorMAC.count), to: &length)
            hmac.update(data: length)
            hmac.update(data: priorMAC)
        }
        hmac.update(data: message)
        if signedOne {
            hmac.update(data: TSIG.timers(time: time, fudge: TSIG.fudge))
        } else {
            hmac.update(data: TSIG.variables(key: key, time: time, fudge: TSIG.fudge, error: error.rawValue, other: other))
        }
        let mac = Array(hmac.finalize())
        let id = buffer.getInteger(at: start, as: UInt16.self) ?? 0
        TSIGSigner.appendRecord(to: &buffer, messageStart: start, key: key, time: time, mac: mac, originalID: id,
                                error: error.rawValue, other: signedOne ? [] : other)
        priorMAC = mac
        signedOne = true
    }

    /// Appends a TSIG record with `mac` (empty for an unsigned BADSIG/BADKEY answer).
    static func appendRecord(to buffer: inout ByteBuffer, messageStart start: Int, key: TSIGKey, time: UInt64, mac: [UInt8],
                             originalID: UInt16, error: UInt16, other: [UInt8], algorithm: DomainName = TSIGKey.algorithm) {
        buffer.writeBytes(key.name.wire)
        buffer.writeInteger(TSIG.recordType.rawValue)
        buffer.writeInteger(RecordClass.any.rawValue)
        buffer.writeInteger(UInt32(0))
        let lengthAt = buffer.writerIndex
        buffer.writeInteger(UInt16(0))
        buffer.writeBytes(algorithm.wire)
        buffer.writeBytes(TSIG.timers(time: time, fudge: TSIG.fudge))
        buffer.writeInteger(UInt16(mac.count))
        buffer.writeBytes(mac)
        buffer.writeInteger(originalID)
        buffer.writeInteger(error)
        buffer.writeInteger(UInt16(other.count))
        buffer.writeBytes(other)
        buffer.setInteger(UInt16(buffer.writerIndex - lengthAt - 2), at: lengthAt)
        let count = buffer.getInteger(at: start + 10, as: UInt16.self) ?? 0
        buffer.setInteger(count &+ 1, at: start + 10)
    }
}
