import NIOCore

/// The RDATA of one RRset's records in uncompressed wire form, each after its 16-bit
/// length, as a range of a byte array that may be shared with a whole zone.
///
/// A zone keeps every record this way (no object per record): the encoder copies the
/// bytes as they are, and only cold paths (presentation, diffs, the additional section's
/// targets) decode them into `RData`.
public struct RecordDataBytes: Sendable {
    public let storage: [UInt8]
    public let start: Int
    public let end: Int
    /// How many records the range holds.
    public let count: Int

    public init(storage: [UInt8], start: Int, end: Int, count: Int) {
        self.storage = storage
        self.start = start
        self.end = end
        self.count = count
    }

    /// The records encoded into storage of their own.
    public init(records: [RData]) {
        var bytes: [UInt8] = []
        for record in records { RecordDataBytes.append(record, to: &bytes) }
        self.init(storage: bytes, start: 0, end: bytes.count, count: records.count)
    }

    /// Appends one record's RDATA length and uncompressed RDATA to `bytes`. The caller
    /// has checked that it fits 65,535 octets (`RData.uncompressedLength`).
    public static func append(_ rdata: RData, to bytes: inout [UInt8]) {
        switch rdata {
        case .a(let address):
            bytes.append(0); bytes.append(4)
            appendBigEndian(address.value, to: &bytes)
        case .aaaa(let address):
            bytes.append(0); bytes.append(16)
            appendBigEndian(address.high, to: &bytes)
            appendBigEndian(address.low, to: &bytes)
        case .ns(let name), .cname(let name), .ptr(let name):
            bytes.append(UInt8(name.wire.count >> 8)); bytes.append(UInt8(truncatingIfNeeded: name.wire.count))
            bytes.append(contentsOf: name.wire)
        default:
            let wire = rdata.uncompressedWire
            bytes.append(UInt8(truncatingIfNeeded: wire.count >> 8)); bytes.append(UInt8(truncatingIfNeeded: wire.count))
            bytes.append(contentsOf: wire)
        }
    }

    static func appendBigEndian<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
        var shift = I.bitWidth - 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
            shift -= 8
        }
    }

    /// Calls `body` with each record's RDATA (without its length), in order.
    @inlinable
    public func forEachRecord(_ body: (UnsafeRawBufferPointer) -> Void) {
        storage.withUnsafeBytes { all in
            var offset = start
            while offset + 2 <= end {
                let length = Int(all[offset]) << 8 | Int(all[offset + 1])
                body(UnsafeRawBufferPointer(rebasing: all[(offset + 2)..<(offset + 2 + length)]))
                offset += 2 + length
            }
        }
    }

    /// The records decoded as `type`. Stored data was encoded from valid `RData`, so a
    /// record that does not decode (which would be a bug) is kept as opaque data.
    public func records(of type: RecordType) -> [RData] {
        var result: [RData] = []
        result.reserveCapacity(count)
        forEachRecord { bytes in
            let wire = Array(bytes)
            if let rdata = try? RData.decode(type: type, fromUncompressed: wire) {
                result.append(rdata)
            } else {
                result.append(.unknown(UnknownRData(type: type, bytes: wire)))
            }
        }
        return result
    }

    /// The first record decoded as `type` (a CNAME's target without decoding the rest).
    public func first(of type: RecordType) -> RData? {
        var found: RData?
        var done = false
        forEachRecord { bytes in
            guard !done else { return }
            done = true
            found = try? RData.decode(type: type, fromUncompressed: Array(bytes))
        }
        return found
    }

    /// The stored octets of the range, lengths included (equality of record sets).
    public var bytes: ArraySlice<UInt8> { storage[start..<end] }
}
