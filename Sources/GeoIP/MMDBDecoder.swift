/// Reads values out of one section of a MaxMind DB file: the data section, or the
/// metadata section (whose pointers count from the start of the metadata).
///
/// Every read is checked against the section bounds before it happens, so a hostile
/// file ends in an `MMDBError`, never a trap. Pointer chasing is bounded twice: nesting
/// depth (a pointer loop through maps) and a per-record value budget (a small record
/// whose pointers fan out into an exponential tree).
struct MMDBDecoder {
    let bytes: [UInt8]
    /// Absolute offsets in `bytes`; pointers are relative to `sectionStart`.
    let sectionStart: Int
    let sectionEnd: Int

    static let maxDepth = 64
    static let maxValuesPerRecord = 1 << 20

    /// Type numbers from the format's "Output Data Section".
    enum Kind: Int {
        case pointer = 1, string, double, bytes, uint16, uint32, map, int32, uint64, uint128, array
        case dataCacheContainer, endMarker, boolean, float

        var name: String {
            switch self {
            case .pointer: return "pointer"
            case .string: return "string"
            case .double: return "double"
            case .bytes: return "bytes"
            case .uint16: return "uint16"
            case .uint32: return "uint32"
            case .map: return "map"
            case .int32: return "int32"
            case .uint64: return "uint64"
            case .uint128: return "uint128"
            case .array: return "array"
            case .dataCacheContainer: return "data cache container"
            case .endMarker: return "end marker"
            case .boolean: return "boolean"
            case .float: return "float"
            }
        }
    }

    /// A decoded control byte (plus extended type and size bytes).
    struct Field {
        var kind: Kind
        /// Payload size in bytes; the entry count for maps and arrays; the value for
        /// booleans; the target (relative to the section) for pointers.
        var size: Int
        /// Absolute offset of the first byte after the control bytes.
        var payload: Int
        /// Absolute offset of the control byte, for error messages.
        var start: Int
    }

    /// Decodes the control byte(s) at absolute `offset`.
    func field(at offset: Int) throws(MMDBError) -> Field {
        guard offset >= sectionStart && offset < sectionEnd else { throw .truncatedField(offset: offset) }
        let control = Int(bytes[offset])
        var cursor = offset + 1
        var type = control >> 5
        if type == Kind.pointer.rawValue {
            return try pointer(control: control, at: offset)
        }
        if type == 0 {
            guard cursor < sectionEnd else { throw .truncatedField(offset: offset) }
            type = 7 + Int(bytes[cursor])
            cursor += 1
            // Extended types start at 8: an extended byte of 0 would re-spell a map.
            guard type >= 8 else { throw .invalidType(offset: offset, type: type) }
        }
        guard let kind = Kind(rawValue: type) else { throw .invalidType(offset: offset, type: type) }
        var size = control & 0x1F
        if size >= 29 {
            let extra = size - 28
            guard extra <= sectionEnd - cursor else { throw .truncatedField(offset: offset) }
            var value = 0
            for i in 0..<extra { value = value << 8 | Int(bytes[cursor + i]) }
            cursor += extra
            size = (extra == 1 ? 29 : extra == 2 ? 285 : 65_821) + value
        }
        return Field(kind: kind, size: size, payload: cursor, start: offset)
    }

    /// A pointer's control byte is `001SSVVV`: SS picks how many bytes follow, and
    /// each size has a bias so the ranges do not overlap.
    private func pointer(control: Int, at offset: Int) throws(MMDBError) -> Field {
        let sizeBits = (control >> 3) & 0x3
        let count = sizeBits + 1
        let cursor = offset + 1
        guard count <= sectionEnd - cursor else { throw .truncatedField(offset: offset) }
        var value = sizeBits == 3 ? 0 : control & 0x7
        for i in 0..<count { value = value << 8 | Int(bytes[cursor + i]) }
        value += sizeBits == 1 ? 2048 : sizeBits == 2 ? 526_336 : 0
        guard value < sectionEnd - sectionStart else {
            throw .pointerOutOfRange(offset: offset, pointer: value)
        }
        return Field(kind: .pointer, size: value, payload: cursor + count, start: offset)
    }

    /// The field at `offset`, or the one it points to. Pointers may not point to pointers.
    func resolvedField(at offset: Int) throws(MMDBError) -> Field {
        let first = try field(at: offset)
        guard first.kind == .pointer else { return first }
        let target = try field(at: sectionStart + first.size)
        guard target.kind != .pointer else { throw .pointerToPointer(offset: target.start) }
        return target
    }

    /// The payload byte range of a sized field, checked to lie inside the section.
    func payloadRange(_ field: Field) throws(MMDBError) -> Range<Int> {
        guard field.size <= sectionEnd - field.payload else { throw .truncatedField(offset: field.start) }
        return field.payload..<(field.payload + field.size)
    }

    /// A big-endian unsigned integer of at most `maxBytes` bytes.
    func unsigned(_ field: Field, maxBytes: Int) throws(MMDBError) -> UInt64 {
        guard field.size <= maxBytes else {
            throw .invalidSize(offset: field.start, type: field.kind.name, size: field.size)
        }
        var value: UInt64 = 0
        for i in try payloadRange(field) { value = value << 8 | UInt64(bytes[i]) }
        return value
    }

    func string(_ field: Field) throws(MMDBError) -> String {
        guard field.kind == .string else { throw .invalidString(offset: field.start) }
        let range = try payloadRange(field)
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw .invalidString(offset: field.start)
        }
        return text
    }

    func double(_ field: Field) throws(MMDBError) -> Double {
        guard field.size == 8 else { throw .invalidSize(offset: field.start, type: "double", size: field.size) }
        return Double(bitPattern: try unsigned(field, maxBytes: 8))
    }

    func float(_ field: Field) throws(MMDBError) -> Float {
        guard field.size == 4 else { throw .invalidSize(offset: field.start, type: "float", size: field.size) }
        return Float(bitPattern: UInt32(try unsigned(field, maxBytes: 4)))
    }

    /// Absolute offset just past the value at `offset`, without decoding it or following
    /// pointers: a skip costs at most the bytes it passes over.
    func skip(at offset: Int, depth: Int = 0) throws(MMDBError) -> Int {
        guard depth <= Self.maxDepth else { throw .nestingTooDeep(offset: offset) }
        let field = try field(at: offset)
        switch field.kind {
        case .pointer:
            return field.payload
        case .map, .array:
            var cursor = field.payload
            let count = field.kind == .map ? field.size * 2 : field.size
            guard count <= sectionEnd - cursor else { throw .truncatedField(offset: offset) }
            for _ in 0..<count { cursor = try skip(at: cursor, depth: depth + 1) }
            return cursor
        case .boolean:
            return field.payload
        case .dataCacheContainer, .endMarker:
            throw .unexpectedType(offset: offset, type: field.kind.name)
        default:
            return try payloadRange(field).upperBound
        }
    }
}
