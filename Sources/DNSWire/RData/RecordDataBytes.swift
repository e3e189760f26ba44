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

    /// The first record decoded as `type` (a second CNAME's message names the first).
    public func first(of type: RecordType) -> RData? {
        guard start + 2 <= end else { return nil }
        let length = Int(storage[start]) << 8 | Int(storage[start + 1])
        return try? RData.decode(type: type, fromUncompressed: Array(storage[(start + 2)..<(start + 2 + length)]))
    }

    /// Where in a record of `type` the name sits that the additional section wants
    /// (RFC 1034 §4.3.2 step 6: NS, MX and SRV targets), or that a CNAME points at.
    static func nameOffset(in type: RecordType) -> Int? {
        switch type {
        case .ns, .cname: return 0
        case .mx: return 2
        case .srv: return 6
        default: return nil
        }
    }

    /// Calls `body` with the target name of each record of an NS, MX, SRV or CNAME set
    /// (nothing for other types), read from the stored octets: no record is decoded.
    public func forEachTargetName(of type: RecordType, _ body: (DomainName) -> Void) {
        guard let offset = RecordDataBytes.nameOffset(in: type) else { return }
        forEachRecord { rdata in
            guard rdata.count > offset else { return }
            body(DomainName(uncheckedWire: Array(rdata[offset...])))
        }
    }

    /// The target of a CNAME set's record.
    public var cnameTarget: DomainName? {
        var target: DomainName?
        forEachTargetName(of: .cname) { if target == nil { target = $0 } }
        return target
    }

    /// Whether one of the records already holds `candidate` (a record's RDATA, without its
    /// length): equal octets, or — for octets equal ignoring ASCII case — equal records,
    /// since names in RDATA compare case-insensitively and text does not.
    public func contains(_ candidate: UnsafeRawBufferPointer, type: RecordType) -> Bool {
        var found = false
        forEachRecord { stored in
            guard !found, stored.count == candidate.count else { return }
            var exact = true
            var folded = true
            for k in 0..<stored.count where stored[k] != candidate[k] {
                exact = false
                if DomainName.fold(stored[k]) != DomainName.fold(candidate[k]) {
                    folded = false
                    break
                }
            }
            if exact {
                found = true
            } else if folded, let a = try? RData.decode(type: type, fromUncompressed: Array(stored)),
                      let b = try? RData.decode(type: type, fromUncompressed: Array(candidate)) {
                found = a == b
            }
        }
        return found
    }

    /// The records of `sets` in order, each held once: one array allocated at its final
    /// size, however many sets (a multivalue answer joining its sets). Each set's own
    /// records are already distinct.
    public static func joining(_ sets: UnsafeBufferPointer<RecordDataBytes>, type: RecordType) -> RecordDataBytes {
        guard let first = sets.first else { return RecordDataBytes(storage: [], start: 0, end: 0, count: 0) }
        var merged: [UInt8] = []
        merged.reserveCapacity(sets.reduce(0) { $0 + $1.end - $1.start })
        merged.append(contentsOf: first.storage[first.start..<first.end])
        var count = first.count
        for set in sets.dropFirst() {
            set.forEachRecord { rdata in
                // A temporary, gone before `merged` grows (so the array is not copied).
                guard !RecordDataBytes(storage: merged, start: 0, end: merged.count, count: count).contains(rdata, type: type) else { return }
                merged.append(UInt8(truncatingIfNeeded: rdata.count >> 8))
                merged.append(UInt8(truncatingIfNeeded: rdata.count))
                merged.append(contentsOf: rdata)
                count += 1
            }
        }
        return RecordDataBytes(storage: merged, start: 0, end: merged.count, count: count)
    }

    /// These records followed by those of `other` that they do not already hold: one
    /// new array, no record decoded (`joining` of the two).
    public func merging(_ other: RecordDataBytes, type: RecordType) -> RecordDataBytes {
        withUnsafeTemporaryAllocation(of: RecordDataBytes.self, capacity: 2) { pair in
            pair.initializeElement(at: 0, to: self)
            pair.initializeElement(at: 1, to: other)
            defer { _ = pair.deinitialize() }
            return RecordDataBytes.joining(UnsafeBufferPointer(pair), type: type)
        }
    }
}
