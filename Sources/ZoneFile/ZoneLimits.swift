/// How much one zone may make the loader do: the bounds that keep a hostile or mistaken
/// zone file (an `$INCLUDE` fan-out, a runaway generator) from taking the time and memory
/// of the whole server. Crossing one is a load error at the directive or record that
/// crosses it, and the parse of that zone stops there.
public struct ZoneLimits: Hashable, Sendable {
    /// `$INCLUDE`s performed for one zone, counting every inclusion (the same file
    /// included twice counts twice).
    public var maximumIncludes: Int
    /// Record lines in one zone, its includes counted.
    public var maximumRecords: Int
    /// Octets of zone-file text read for one zone, its includes counted.
    public var maximumBytes: Int

    public init(maximumIncludes: Int = ZoneLimits.standard.maximumIncludes,
                maximumRecords: Int = ZoneLimits.standard.maximumRecords,
                maximumBytes: Int = ZoneLimits.standard.maximumBytes) {
        self.maximumIncludes = maximumIncludes
        self.maximumRecords = maximumRecords
        self.maximumBytes = maximumBytes
    }

    /// The defaults of `serve` and `check`: far above a 1,000,000-name zone (about
    /// 1.2 million records, 45 MB), far below what would exhaust a server.
    public static let standard = ZoneLimits(includes: 1024, records: 10_000_000, bytes: 2 << 30)

    init(includes: Int, records: Int, bytes: Int) {
        maximumIncludes = includes
        maximumRecords = records
        maximumBytes = bytes
    }
}
