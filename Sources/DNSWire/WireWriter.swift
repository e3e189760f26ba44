import NIOCore

/// Writes DNS wire format into a `ByteBuffer`, compressing names against those already
/// written in the same message (RFC 1035 §4.1.4).
///
/// The compression table is a list of offsets where labels start; lookups compare the
/// candidate suffix with the bytes already in the buffer, ignoring ASCII case.
public struct WireWriter {
    public var buffer: ByteBuffer
    /// Where the message starts in `buffer`; offsets in pointers are relative to it.
    public let base: Int
    /// Where written labels start: the compression targets. Kept inline (no allocation per
    /// message); names past the first 64 labels are simply not used as targets.
    @usableFromInline var labelOffsets = InlineArray<64, UInt16>(repeating: 0)
    @usableFromInline var labelCount = 0
    /// The question's name, written at offset 12: an owner equal to it (the common case:
    /// every answer to the name asked) becomes the pointer 0xC00C without a search.
    var questionName: [UInt8]?

    public init(buffer: ByteBuffer) {
        self.buffer = buffer
        base = buffer.writerIndex
    }

    /// Writes the question's name (uncompressed, at offset 12) and remembers it for the
    /// pointer fast path.
    public mutating func writeQuestionName(_ name: DomainName) {
        if count == 12 { questionName = name.wire }
        writeName(name, compress: false)
    }

    /// Bytes written since the message start.
    @inlinable
    public var count: Int { buffer.writerIndex - base }

    /// A point the writer can be rolled back to (used to drop records that do not fit).
    public struct Mark: Sendable {
        let writerIndex: Int
        let compressionCount: Int
    }

    public var mark: Mark { Mark(writerIndex: buffer.writerIndex, compressionCount: labelCount) }

    public mutating func rollBack(to mark: Mark) {
        buffer.moveWriterIndex(to: mark.writerIndex)
        labelCount = mark.compressionCount
    }

    @inline(__always)
    mutating func addTarget(_ offset: Int) {
        guard offset < 0x3FFF, labelCount < labelOffsets.count else { return }
        labelOffsets[labelCount] = UInt16(offset)
        labelCount += 1
    }

    @inlinable
    public mutating func writeUInt8(_ value: UInt8) { buffer.writeInteger(value) }
    @inlinable
    public mutating func writeUInt16(_ value: UInt16) { buffer.writeInteger(value) }
    @inlinable
    public mutating func writeUInt32(_ value: UInt32) { buffer.writeInteger(value) }
    @inlinable
    public mutating func writeBytes<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.writeBytes(bytes)
    }

    /// Overwrites a 16-bit value at `offset` from the message start (counts, RDLENGTH).
    public mutating func setUInt16(_ value: UInt16, at offset: Int) {
        buffer.setInteger(value, at: base + offset)
    }

    /// Writes `name`, ending in a pointer to the longest suffix already in the message when
    /// `compress` is true. Label starts written here become pointer targets either way.
    public mutating func writeName(_ name: DomainName, compress: Bool = true) {
        let wire = name.wire
        if compress, let question = questionName, wire == question {
            buffer.writeInteger(UInt16(0xC00C))
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
            buffer.writeInteger(UInt16(0xC00C))
            return
        }
        var i = 0
        while name[i] != 0 {
            if compress, let target = findSuffix(name, from: i) {
                registerLabels(name, upTo: i)
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: wire[0..<i]))
                buffer.writeInteger(UInt16(0xC000) | target)
                return
            }
            i += 1 + Int(name[i])
        }
        registerLabels(name, upTo: i)
        buffer.writeBytes(wire)
    }

    /// Makes the name starting at `offset` (already in the message, e.g. the question) a
    /// compression target without writing anything.
    public mutating func registerName(at offset: Int) {
        var position = offset
        while true {
            let length = Int(buffer.getInteger(at: base + position, as: UInt8.self)!)
            if length == 0 || length & 0xC0 != 0 || position >= 0x3FFF { return }
            addTarget(position)
            position += 1 + length
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
        let base = self.base
        let targets = labelOffsets
        let count = labelCount
        return buffer.withVeryUnsafeBytes { message in
            for k in 0..<count where WireWriter.matches(name, from: start, in: message, base: base, at: Int(targets[k])) {
                return targets[k]
            }
            return nil
        }
    }

    /// Compares the labels of `name` from `start` with the (possibly compressed) name at
    /// message offset `position`, ignoring case.
    static func matches(_ name: UnsafeBufferPointer<UInt8>, from start: Int, in message: UnsafeRawBufferPointer,
                        base: Int, at position: Int) -> Bool {
        var i = start
        var p = base + position
        while true {
            var length = Int(message[p])
            while length & 0xC0 == 0xC0 {
                p = base + ((length & 0x3F) << 8 | Int(message[p + 1]))
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
