import DNSWire
import Routing

/// The `--latency-table`: measured (or chosen) latencies from client prefixes to AWS
/// Regions, standing in for the measurements Route 53 keeps to itself.
///
/// The file is CSV with the header `client-prefix,region,milliseconds` and one row per
/// prefix and Region, e.g. `10.1.0.0/16,us-east-1,12.5`. A prefix's rows need not be
/// adjacent. A client takes the Regions of the longest prefix that contains it, and only
/// those: a Region missing there is unmeasured, not inherited from a shorter prefix, so
/// the table says exactly what was written.
public struct LatencyTable: Sendable {
    public static let header = "client-prefix,region,milliseconds"

    /// All rows of one prefix: milliseconds by Region name, and the line of its first row.
    public struct Entry: Hashable, Sendable {
        public var prefix: IPPrefix
        public var milliseconds: [String: Double]
        public var line: Int
    }

    /// A client's entry, with the prefix length the answer holds for (the ECS scope;
    /// at least the entry's own length, more when a longer prefix sits inside it).
    public struct Match: Hashable, Sendable {
        public var entry: Entry
        public var prefixLength: Int

        /// Milliseconds by Region for the matched prefix.
        public var milliseconds: [String: Double] { entry.milliseconds }
    }

    /// One entry per distinct prefix, in order of first appearance.
    public let entries: [Entry]
    let trie: PrefixTrie

    /// Reads and checks the file at `path`.
    public init(contentsOf path: String) throws(TableFileError) {
        try self.init(parsing: CSVTable.read(path), file: path)
    }

    /// Parses a file's contents; `file` names it in errors.
    public init(parsing bytes: [UInt8], file: String) throws(TableFileError) {
        var entries: [Entry] = []
        var indexByPrefix: [IPPrefix: Int] = [:]
        var rowLine: [IPPrefix: [String: Int]] = [:]
        for row in try CSVTable.rows(bytes, file: file, header: Self.header) {
            let prefix = try CSVTable.prefix(row, 0, file: file)
            let region = row.fields[1].text
            guard AWSRegions.isKnown(region) else {
                throw row.error(1, "unknown region '\(region)' (expected an AWS Region such as us-east-1)", file: file)
            }
            let text = row.fields[2].text
            guard let milliseconds = CSVTable.decimal(text), milliseconds >= 0 else {
                throw row.error(2, "bad milliseconds '\(text)': expected a non-negative decimal number", file: file)
            }
            if let earlier = rowLine[prefix]?[region] {
                throw row.error(1, "duplicate row for \(prefix) and \(region) (first given on line \(earlier))", file: file)
            }
            rowLine[prefix, default: [:]][region] = row.line
            if let index = indexByPrefix[prefix] {
                entries[index].milliseconds[region] = milliseconds
            } else {
                indexByPrefix[prefix] = entries.count
                entries.append(Entry(prefix: prefix, milliseconds: [region: milliseconds], line: row.line))
            }
        }
        var builder = PrefixTrieBuilder()
        for (index, entry) in entries.enumerated() { builder.insert(entry.prefix, leaf: index) }
        self.entries = entries
        trie = builder.build()
    }

    /// The entry of the longest prefix containing `address`, or nil when none does.
    /// Returns stored values only: no allocation on the query path.
    public func lookup(_ address: IPAddress) -> Match? {
        let (leaf, prefixLength) = trie.lookup(address)
        guard let leaf else { return nil }
        return Match(entry: entries[leaf], prefixLength: prefixLength)
    }

    /// The prefix length a lookup's outcome holds for, match or miss: a miss (latency
    /// falls back to distance) is also an answer that depends on the client.
    public func prefixLength(for address: IPAddress) -> Int {
        trie.lookup(address).scope
    }
}
