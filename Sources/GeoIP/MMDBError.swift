/// Why a MaxMind DB file could not be read, or a record in it could not be decoded.
///
/// Every check the reader makes against a hostile or damaged file ends in one of these
/// cases, each naming what is wrong and where (`offset` is a byte offset in the file),
/// so `serve --geoip` can refuse a bad file with a useful message instead of crashing.
public enum MMDBError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(path: String, reason: String)
    /// No `\xAB\xCD\xEFMaxMind.com` marker in the last 128 KiB: not a MaxMind DB, or cut short.
    case metadataMarkerMissing
    /// The metadata map lacks a required key or has one of the wrong type or value.
    case invalidMetadata(String)
    /// `binary_format_major_version` is not 2, the only version this reader knows.
    case unsupportedFormatVersion(major: Int)
    /// `record_size` is not 24, 28 or 32 bits.
    case unsupportedRecordSize(Int)
    /// `ip_version` is neither 4 nor 6.
    case unsupportedIPVersion(Int)
    /// The search tree that `node_count` and `record_size` describe does not fit before
    /// the metadata (with its 16-byte separator): the file is truncated or the metadata lies.
    case searchTreeTooLarge(nodeCount: Int, treeBytes: Int, available: Int)
    /// A search-tree record points neither at a node, nor at "no data", nor inside the data section.
    case treeRecordOutOfRange(node: Int, record: Int)
    /// A field runs past the end of its section.
    case truncatedField(offset: Int)
    /// A data pointer points outside the data section.
    case pointerOutOfRange(offset: Int, pointer: Int)
    /// A data pointer points at another pointer, which the format forbids.
    case pointerToPointer(offset: Int)
    /// A control byte names a type number the format does not define (or an extended
    /// type below 8).
    case invalidType(offset: Int, type: Int)
    /// A type that cannot stand as a value (data cache container, end marker) where a value was expected.
    case unexpectedType(offset: Int, type: String)
    /// A fixed-width field (double, float, integer, boolean) with a size its type cannot have.
    case invalidSize(offset: Int, type: String, size: Int)
    /// A string that is not valid UTF-8, or a map key that is not a string.
    case invalidString(offset: Int)
    /// Maps, arrays and pointers nested deeper than the reader allows (a loop, most likely).
    case nestingTooDeep(offset: Int)
    /// A record expands to more values than the reader will decode (pointer fan-out).
    case recordTooLarge(offset: Int)
    /// A record the location extractor needs is shaped wrongly (e.g. `location` is not a map).
    case unexpectedShape(offset: Int, String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .metadataMarkerMissing: return "not a MaxMind DB: no metadata marker in the last 128 KiB"
        case .invalidMetadata(let why): return "invalid metadata: \(why)"
        case .unsupportedFormatVersion(let major): return "unsupported binary format major version \(major) (expected 2)"
        case .unsupportedRecordSize(let size): return "unsupported record size \(size) (expected 24, 28 or 32)"
        case .unsupportedIPVersion(let version): return "unsupported ip_version \(version) (expected 4 or 6)"
        case .searchTreeTooLarge(let nodes, let bytes, let available):
            return "search tree of \(nodes) nodes needs \(bytes) bytes plus a 16-byte separator, but only \(available) bytes precede the metadata"
        case .treeRecordOutOfRange(let node, let record):
            return "search tree node \(node) has record \(record), which is outside the data section"
        case .truncatedField(let offset): return "field at offset \(offset) runs past the end of its section"
        case .pointerOutOfRange(let offset, let pointer):
            return "pointer at offset \(offset) points to \(pointer), outside the data section"
        case .pointerToPointer(let offset): return "pointer at offset \(offset) points to another pointer"
        case .invalidType(let offset, let type): return "invalid data type \(type) at offset \(offset)"
        case .unexpectedType(let offset, let type): return "\(type) at offset \(offset) where a value was expected"
        case .invalidSize(let offset, let type, let size): return "\(type) at offset \(offset) has invalid size \(size)"
        case .invalidString(let offset): return "invalid UTF-8 string or non-string map key at offset \(offset)"
        case .nestingTooDeep(let offset): return "values nested too deeply at offset \(offset)"
        case .recordTooLarge(let offset): return "record at offset \(offset) expands to too many values"
        case .unexpectedShape(let offset, let why): return "record at offset \(offset): \(why)"
        }
    }
}
