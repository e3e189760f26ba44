import NIOCore

/// Writes DNS wire format into a `ByteBuffer`, compressing names against those already
/// written in the same message (RFC 1035 §4.1.4).
///
/// The compression table is a list of offsets where labels start; lookups compare the
/// candidate suffix with the bytes already in the buffer, ignoring ASCII case.
///
/// The writer owns its buffer while it writes and stores through one raw pointer to the
/// message's first octet: each of `ByteBuffer`'s own writes checks its storage's uniqueness
/// and capacity and, in a release build, enforces exclusive access to it — several times
/// per record, which profiles put at a tenth of an answer's user time. The buffer's writer
/// index stays at the message start until `buffer` is read.
///
/// Not copyable: a copy would hold the same pointer, and two writers would write into one
/// storage behind `ByteBuffer`'s copy-on-write.
public struct WireWriter: ~Copyable {
    /// The buffer, its writer index at `base` while writing (the bytes are past it).
    @usableFromInline var storage: ByteBuffer
    /// Where the message starts in `buffer`; offsets in pointers are relative to it.
    public let base: Int
    /// The message's first octet in `storage`, valid until `storage` grows; nil before the
    /// first write. Taken then rather than in `init`, whose caller may still hold its
    /// reference to the buffer (the optimiser passes a consumed argument borrowed), which
    /// would make the buffer look shared and be copied.
    @usableFromInline var start: UnsafeMutableRawPointer?
    /// Octets written since the message start.
    @usableFromInline var position = 0
    /// Octets that fit from the message start before `storage` must grow.
    @usableFromInline var room = 0
    /// Where written labels start: the compression targets. Kept inline (no allocation per
    /// message); names past the first 64 labels are simply not used as targets.
    @usableFromInline var labelOffsets = InlineArray<64, UInt16>(repeating: 0)
    @usableFromInline var labelCount = 0
    /// The question's name, written at offset 12: an owner equal to it (the common case:
    /// every answer to the name asked) becomes the pointer 0xC00C without a search.
    var questionName: [UInt8]?

    /// The room reserved up front: a UDP answer's largest size (SPEC §5), so growth is
    /// left to TCP answers and transfers.
    static let initialRoom = 1232

    public init(buffer: consuming ByteBuffer) {
        base = buffer.writerIndex
        storage = buffer
    }

    /// The buffer with the message written (its writer index after the last octet).
    public var buffer: ByteBuffer {
        var finished = storage
        finished.moveWriterIndex(to: base + position)
        return finished
    }

    /// Makes room for `octets` more; the slow path of every write.
    @usableFromInline
    @inline(never)
    mutating func grow(_ octets: Int) {
        // Written octets are inside the writer index while the storage moves, so they move too.
        storage.moveWriterIndex(to: base + position)
        storage.reserveCapacity(minimumWritableBytes: max(octets, room, WireWriter.initialRoom))
        storage.moveWriterIndex(to: base)
        // Unique after this (copied if it was shared), so the pointer is ours to write through.
        (start, room) = storage.withUnsafeMutableWritableBytes { ($0.baseAddress, $0.count) }
    }

    /// The address to write `octets` at, making room first if needed.
    @inlinable @inline(__always)
    mutating func reserve(_ octets: Int) -> UnsafeMutableRawPointer {
        if position + octets > room { grow(octets) }
        return start.unsafelyUnwrapped + position
    }

    /// Writes the question's name (uncompressed, at offset 12) and remembers it for the
    /// pointer fast path.
    public mutating func writeQuestionName(_ name: DomainName) {
        if count == 12 { questionName = name.wire }
        writeName(name, compress: false)
    }

    /// Bytes written since the message start.
    @inlinable
    public var count: Int { position }

    /// A point the writer can be rolled back to (used to drop records that do not fit).
    public struct Mark: Sendable {
        let position: Int
        let compressionCount: Int
    }

    public var mark: Mark { Mark(position: position, compressionCount: labelCount) }

    public mutating func rollBack(to mark: Mark) {
        position = mark.position
        labelCount = mark.compressionCount
    }

    @inline(__always)
    mutating func addTarget(_ offset: Int) {
        guard offset < 0x3FFF, labelCount < labelOffsets.count else { return }
        labelOffsets[labelCount] = UInt16(offset)
        labelCount += 1
    }

    @inlinable
    public mutating func writeUInt8(_ value: UInt8) { write(value) }
    @inlinable
    public mutating func writeUInt16(_ value: UInt16) { write(value) }
    @inlinable
    public mutating func writeUInt32(_ value: UInt32) { write(value) }
    @inlinable
    public mutating func writeUInt64(_ value: UInt64) { write(value) }

    /// Writes `value` in network byte order.
    @inlinable @inline(__always)
    mutating func write<Integer: FixedWidthInteger>(_ value: Integer) {
        reserve(MemoryLayout<Integer>.size).storeBytes(of: value.bigEndian, as: Integer.self)
        position += MemoryLayout<Integer>.size
    }

    /// Writes raw octets (RDATA stored in wire format).
    @inlinable
    public mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count).copyMemory(from: source, byteCount: bytes.count)
        position += bytes.count
    }
    @inlinable
    public mutating func writeBytes<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ writeBytes(UnsafeRawBufferPointer($0)) }) != nil { return }
        for byte in bytes { writeUInt8(byte) }
    }

    /// Overwrites a 16-bit value at `offset` from the message start (counts, RDLENGTH).
    public mutating func setUInt16(_ value: UInt16, at offset: Int) {
        precondition(offset >= 0 && offset + 2 <= position, "setUInt16 past the octets written")
        (start.unsafelyUnwrapped + offset).storeBytes(of: value.bigEndian, toByteOffset: 0, as: UInt16.self)
    }

    /// Writes `name`, ending in a pointer to the longest suffix already in the message when
    /// `compress` is true. Label starts written here become pointer targets either way.
    public mutating func writeName(_ name: DomainName, compress: Bool = true) {
        let wire = name.wire
        if compress, let question = questionName, wire == question {
            writeUInt16(0xC00C)
            return
        }
        wire.withUnsafeBytes { writeName(uncompressed: $0, compress: compress) }
    }

    /// Writes a name given as valid uncompressed wire octets (a name stored in a zone's
    /// record data), compressed like `writeName(_:compress:)`.
    public mutating func writeName(uncompressed wire: UnsafeRawBufferPointer, compress: Bool = true) {
        let name = wire.assumingMemoryBound(to: UInt8.self)
        if compress, let question = questionName, question.count == name.count,
           question.withUnsafeBufferPointer({ $0.elementsEqual(name) }) {
            writeUInt16(0xC00C)
            return
        }
        var i = 0
        while name[i] != 0 {
            if compress, let target = findSuffix(name, from: i) {
                registerLabels(name, upTo: i)
                writeBytes(UnsafeRawBufferPointer(rebasing: wire[0..<i]))
                writeUInt16(0xC000 | target)
                return
            }
            i += 1 + Int(name[i])
        }
        registerLabels(name, upTo: i)
        writeBytes(wire)
    }

    /// Makes the name starting at `offset` (already in the message, e.g. the question) a
    /// compression target without writing anything.
    public mutating func registerName(at offset: Int) {
        var label = offset
        while label >= 0 && label < position {
            let length = Int(start.unsafelyUnwrapped.load(fromByteOffset: label, as: UInt8.self))
            if length == 0 || length & 0xC0 != 0 || label >= 0x3FFF { return }
            addTarget(label)
            label += 1 + length
        }
    }

    mutating func registerLabels(_ wire: UnsafeBufferPointer<UInt8>, upTo end: Int) {
        var i = 0
        let start = count
        while i < end {
            addTarget(start + i)
            i += 1 + Int(wire[i])
        }
    }

    func findSuffix(_ name: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt16? {
        guard labelCount > 0 else { return nil }
        let message = UnsafeRawBufferPointer(start: self.start.unsafelyUnwrapped, count: position)
        for k in 0..<labelCount where WireWriter.matches(name, from: start, in: message, at: Int(labelOffsets[k])) {
            return labelOffsets[k]
        }
        return nil
    }

    /// Compares the labels of `name` from `start` with the (possibly compressed) name at
    /// message offset `position`, ignoring case.
    static func matches(_ name: UnsafeBufferPointer<UInt8>, from start: Int, in message: UnsafeRawBufferPointer,
                        at position: Int) -> Bool {
        var i = start
        var p = position
        while true {
            var length = Int(message[p])
            while length & 0xC0 == 0xC0 {
                p = (length & 0x3F) << 8 | Int(message[p + 1])
                length = Int(message[p])
            }
            guard length == Int(name[i]) else { return false }
            if length == 0 { return true }
            for k in 1...length where DomainName.fold(message[p + k]) != DomainName.fold(name[i + k]) {
                return false
            }
            i += 1 + length
            p += 1 + length
        }
    }
}
