/// The metadata map at the end of a MaxMind DB file: how to read the search tree, and
/// what the database says about itself.
///
/// The reader needs `node_count`, `record_size`, `ip_version` and
/// `binary_format_major_version`, and refuses a file without them. The descriptive keys
/// (`database_type`, `languages`, `description`, `build_epoch`, the minor version) are
/// kept when present; a file that lacks one is still usable, so it is not refused.
public struct MaxMindMetadata: Hashable, Sendable {
    public var nodeCount: Int
    public var recordSize: Int
    public var ipVersion: Int
    public var databaseType: String
    public var languages: [String]
    public var description: [String: String]
    public var binaryFormatMajorVersion: Int
    public var binaryFormatMinorVersion: Int
    public var buildEpoch: UInt64

    /// Reads the metadata from its decoded map.
    init(_ value: MMDBValue) throws(MMDBError) {
        guard case .map(let map) = value else { throw .invalidMetadata("the metadata is not a map") }
        func integer(_ key: String) throws(MMDBError) -> Int {
            guard let entry = map[key] else { throw .invalidMetadata("missing key \(key)") }
            guard let number = entry.intValue, number >= 0 else {
                throw .invalidMetadata("\(key) is not an unsigned integer")
            }
            return number
        }
        binaryFormatMajorVersion = try integer("binary_format_major_version")
        guard binaryFormatMajorVersion == 2 else { throw .unsupportedFormatVersion(major: binaryFormatMajorVersion) }
        binaryFormatMinorVersion = map["binary_format_minor_version"]?.intValue ?? 0
        recordSize = try integer("record_size")
        guard [24, 28, 32].contains(recordSize) else { throw .unsupportedRecordSize(recordSize) }
        ipVersion = try integer("ip_version")
        guard ipVersion == 4 || ipVersion == 6 else { throw .unsupportedIPVersion(ipVersion) }
        nodeCount = try integer("node_count")
        guard nodeCount > 0 else { throw .invalidMetadata("node_count is 0") }
        guard nodeCount <= Int(UInt32.max) else { throw .invalidMetadata("node_count \(nodeCount) exceeds 32 bits") }
        databaseType = map["database_type"]?.stringValue ?? ""
        languages = map["languages"]?.arrayValue?.compactMap(\.stringValue) ?? []
        description = (map["description"]?.mapValue ?? [:]).compactMapValues(\.stringValue)
        switch map["build_epoch"] {
        case .uint64(let v)?: buildEpoch = v
        // Descriptive only: a negative or non-integer epoch reads as unknown (0).
        case let other?: buildEpoch = other.intValue.flatMap { UInt64(exactly: $0) } ?? 0
        case nil: buildEpoch = 0
        }
    }

    /// Bytes per search-tree node: two records.
    public var nodeByteSize: Int { recordSize / 4 }

    /// Size of the search tree section in bytes.
    public var searchTreeSize: Int { nodeCount * nodeByteSize }
}
