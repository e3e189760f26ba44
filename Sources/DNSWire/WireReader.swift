import NIOCore

/// Reads DNS wire format from a received message, with offsets relative to the message
/// start so compression pointers (RFC 1035 §4.1.4) can be followed.
///
/// Decompression is bounded: one name follows at most `maximumPointersPerName` pointers,
/// and all the names read from one message together take at most `decompressionBudget`
/// steps (a label copied or a pointer followed), so a message built of pointer chains
/// costs a bounded amount of work however it is laid out.
public struct WireReader {
    /// A name has at most 127 labels, so more pointers than that only loop back over
    /// labels already read.
    public static let maximumPointersPerName = 127
    /// Steps all the names of one message may take together: far more than a 64 KiB
    /// response of real names needs, far less than a message of pointer chains asks for.
    public static let defaultDecompressionBudget = 65_536

    /// Holds the message's storage alive (and unchanged: a holder that writes to its own
    /// copy of the buffer copies the storage first) for as long as `bytes` is read.
    @usableFromInline let buffer: ByteBuffer
    /// The message's octets, read through directly: each `ByteBuffer.getInteger` checked
    /// the range and reached through the buffer's storage object again.
    @usableFromInline let bytes: UnsafeRawBufferPointer
    /// Offset of the next byte to read, relative to the message start.
    public var offset: Int
    /// Length of the whole message.
    public let count: Int

    /// Decompression steps left for this message.
    public var decompressionBudget: Int

    public init(message: ByteBuffer, decompressionBudget: Int = WireReader.defaultDecompressionBudget) {
        buffer = message
        bytes = message.withUnsafeReadableBytes { $0 }
        offset = 0
        count = message.readableBytes
        self.decompressionBudget = decompressionBudget
    }

    public var remaining: Int { count - offset }

    @inlinable
    public func byte(at position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "a read past the message")
        return bytes[position]
    }

    @inlinable
    public mutating func readUInt8() throws(DNSWireError) -> UInt8 {
        guard offset + 1 <= count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inlinable
    public mutating func readUInt16() throws(DNSWireError) -> UInt16 {
        guard offset + 2 <= count else { throw .truncated }
        defer { offset += 2 }
        return UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inlinable
    public mutating func readUInt32() throws(DNSWireError) -> UInt32 {
        guard offset + 4 <= count else { throw .truncated }
        defer { offset += 4 }
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    public mutating func readBytes(_ n: Int) throws(DNSWireError) -> [UInt8] {
        guard n >= 0, offset + n <= count else { throw .truncated }
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])
    }

    public mutating func skip(_ n: Int) throws(DNSWireError) {
        guard n >= 0, offset + n <= count else { throw .truncated }
        offset += n
    }

    /// Reads a possibly compressed name. Every pointer must point strictly before the
    /// label sequence it continues, which rules out loops without counting hops.
    public mutating func readName() throws(DNSWireError) -> DomainName {
        let count = self.count
        var offset = self.offset
        var budget = decompressionBudget
        // Spent even by a name that fails: the budget is the whole message's.
        defer { decompressionBudget = budget }
        // The labels go into a scratch buffer on the stack, and the name's array is made
        // once at its exact size: a name decoded byte by byte into a growing array
        // checked its capacity on every octet.
        let message = bytes
        let name = try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 255) { (out) throws(DNSWireError) -> DomainName in
            var written = 0
            var position = offset
            var segmentStart = offset
            var jumped = false
            var pointers = 0
            while true {
                guard position < count else { throw .truncated }
                budget -= 1
                guard budget >= 0 else { throw .decompressionBudgetExceeded }
                let length = Int(message[position])
                switch length & 0xC0 {
                case 0x00:
                    if length == 0 {
                        guard written + 1 <= 255 else { throw .nameTooLong }
                        out[written] = 0
                        written += 1
                        if !jumped { offset = position + 1 }
                        return DomainName(uncheckedWire: Array(UnsafeBufferPointer(rebasing: out[0..<written])))
                    }
                    guard position + 1 + length <= count else { throw .truncated }
                    guard written + 1 + length + 1 <= 255 else { throw .nameTooLong }
                    // The length octet and the label, bounds checked above.
                    UnsafeMutableRawPointer(out.baseAddress! + written)
                        .copyMemory(from: message.baseAddress! + position, byteCount: 1 + length)
                    written += 1 + length
                    position += 1 + length
                case 0xC0:
                    guard position + 1 < count else { throw .truncated }
                    let target = (length & 0x3F) << 8 | Int(message[position + 1])
                    if !jumped {
                        offset = position + 2
                        jumped = true
                    }
                    guard target < segmentStart else { throw .compressionLoop }
                    pointers += 1
                    guard pointers <= WireReader.maximumPointersPerName else { throw .compressionLoop }
                    segmentStart = target
                    position = target
                default:
                    throw .badLabelType
                }
            }
        }
        self.offset = offset
        return name
    }

    /// Steps over a name without decompressing it: its labels up to the root label or the
    /// first pointer. Linear in the octets skipped; what a pointer leads to is not read.
    public mutating func skipName() throws(DNSWireError) {
        var position = offset
        var length = 0
        while true {
            guard position < count else { throw .truncated }
            let octet = Int(byte(at: position))
            switch octet & 0xC0 {
            case 0x00:
                if octet == 0 {
                    offset = position + 1
                    return
                }
                length += 1 + octet
                guard length < 255 else { throw .nameTooLong }
                position += 1 + octet
            case 0xC0:
                guard position + 1 < count else { throw .truncated }
                offset = position + 2
                return
            default:
                throw .badLabelType
            }
        }
    }
}
