import DNSWire
import ZoneFile

/// What loading one zone file gave: the zone, or the errors that kept it out.
public struct ZoneFileReport: Sendable {
    /// The file's stable path (the catalog's key); messages use the source's display name.
    public var file: String
    public var origin: DomainName?
    public var zone: Zone?
    public var diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var succeeded: Bool { zone != nil && errors.isEmpty }
}

/// One version of the zone files, parsed and checked together.
public struct ZoneSetLoad: Sendable {
    /// The source's name for the version (a commit id), nil for a folder.
    public var version: String?
    public var reports: [ZoneFileReport]

    public init(version: String?, reports: [ZoneFileReport]) {
        self.version = version
        self.reports = reports
    }
}

/// Parses every zone file a `ZoneSource` gives and checks them together. Used by `check`,
/// by `serve` at start, and by every reload. It reads nothing itself: the source does.
public struct ZoneSetLoader: Sendable {
    public let limits: ZoneLimits

    public init(limits: ZoneLimits = .standard) {
        self.limits = limits
    }

    /// Asks `source` for a version (nil: the current one) and loads it.
    public func load(from source: some ZoneSource, version: String? = nil) throws(ZoneSourceError) -> ZoneSetLoad {
        try source.withSnapshot(version: version, limits: limits) { load($0) }
    }

    /// Parses and validates every file; a zone with any error (its own or cross-zone) has
    /// `zone == nil` in its report.
    public func load(_ snapshot: ZoneSnapshot) -> ZoneSetLoad {
        var reports: [ZoneFileReport] = []
        var seenOrigins: [DomainName: String] = [:]
        for file in snapshot.files {
            var report = loadFile(file)
            if let origin = report.origin, let first = seenOrigins[origin] {
                report.diagnostics.append(Diagnostic(at: SourceLocation(file: file.displayName, line: 1, column: 1),
                                                     "zone \(origin) is already loaded from \(first)"))
                report.zone = nil
            } else if let origin = report.origin {
                seenOrigins[origin] = file.displayName
            }
            reports.append(report)
        }
        ZoneSetLoader.crossCheck(&reports)
        return ZoneSetLoad(version: snapshot.version, reports: reports)
    }

    func loadFile(_ file: ZoneSourceFile) -> ZoneFileReport {
        let start = SourceLocation(file: file.displayName, line: 1, column: 1)
        let fileOrigin: DomainName
        var nameProblem: String? = nil
        do { fileOrigin = try DomainName(ZoneSetLoader.origin(forFile: file.path), origin: .root) } catch {
            // A leading $ORIGIN can still name the zone; parse under the root to find out.
            fileOrigin = .root
            nameProblem = error.message
        }
        let parsed: ParsedZoneFile
        var builder: ZoneBuilder?
        switch parse(file, fileOrigin: fileOrigin) {
        case .parsed(let file, let building): (parsed, builder) = (file, building)
        case .unreadable(let message):
            return ZoneFileReport(file: file.path, origin: nil, zone: nil, diagnostics: [Diagnostic(at: start, message)])
        }
        if let nameProblem, parsed.origin == .root {
            return ZoneFileReport(file: file.path, origin: nil, zone: nil, diagnostics: [Diagnostic(
                at: start, "file name does not give a valid origin (\(nameProblem)); add $ORIGIN before the first record or rename the file")])
        }
        if parsed.stoppedAtLimit {
            // Half a zone: building it would only add errors about what was never read.
            return ZoneFileReport(file: file.path, origin: parsed.origin, zone: nil,
                                  diagnostics: parsed.diagnostics.sorted { $0.location < $1.location })
        }
        var zoneBuilder = builder ?? ZoneBuilder(origin: parsed.origin)
        // One reference left: building must not copy the zone's arrays (copy on write).
        builder = nil
        let (zone, diagnostics) = zoneBuilder.finish(parsed)
        return ZoneFileReport(file: file.path, origin: parsed.origin, zone: zone, diagnostics: diagnostics)
    }

    /// What reading and parsing one file gave.
    enum ParseOutcome {
        case parsed(ParsedZoneFile, ZoneBuilder?)
        case unreadable(String)
    }

    /// Reads and parses one file, every record going straight into the zone being built
    /// (a zone file is never held as a list of parsed records; the origin is final by the
    /// first record). A file the source can give in blocks is read a block at a time; one
    /// given whole has its bytes dropped when this returns, before the zone is built.
    func parse(_ file: ZoneSourceFile, fileOrigin: DomainName) -> ParseOutcome {
        var builder: ZoneBuilder?
        let parser = ZoneFileParser(source: file.includes, limits: limits)
        if let open = file.openBlocks {
            switch open() {
            case .unreadable(let message):
                return .unreadable(message)
            case .blocks(let reader):
                let size = reader.size
                let parsed = parser.parse(file: file.displayName, identity: file.identity, size: size, fileOrigin: fileOrigin,
                                          blocks: { reader.nextBlock() }) { record, origin in
                    if builder == nil { builder = ZoneBuilder(origin: origin, expectedBytes: size) }
                    builder!.add(record)
                }
                if let failure = reader.failure { return .unreadable(failure) }
                return .parsed(parsed, builder)
            }
        }
        let bytes: [UInt8]
        switch file.contents {
        case .bytes(let contents): bytes = contents
        case .unreadable(let message): return .unreadable(message)
        }
        let expectedBytes = bytes.count
        let parsed = parser.parse(file: file.displayName, identity: file.identity, bytes: bytes, fileOrigin: fileOrigin) { record, origin in
            if builder == nil { builder = ZoneBuilder(origin: origin, expectedBytes: expectedBytes) }
            builder!.add(record)
        }
        return .parsed(parsed, builder)
    }

    /// The origin a file name implies: `zones/drill.test.zone` → `drill.test.`.
    public static func origin(forFile path: String) -> String {
        var name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        if name.hasSuffix(".zone") { name.removeLast(5) }
        return name.hasSuffix(".") ? name : name + "."
    }

    /// Runs `ZoneSetValidator` over the zones that loaded; a zone with a cross-zone error
    /// is dropped and the check runs again, until what is left is consistent.
    static func crossCheck(_ reports: inout [ZoneFileReport]) {
        for _ in 0..<reports.count + 1 {
            let loaded = reports.indices.filter { reports[$0].zone != nil }
            let failed = reports.compactMap { $0.zone == nil ? $0.origin : nil }
            let problems = ZoneSetValidator.validate(loaded.map { reports[$0].zone! }, failedOrigins: failed)
            var dropped = false
            for (z, diagnostic) in problems {
                let r = loaded[z]
                if !reports[r].diagnostics.contains(diagnostic) { reports[r].diagnostics.append(diagnostic) }
                if diagnostic.severity == .error {
                    reports[r].zone = nil
                    dropped = true
                }
            }
            if !dropped { break }
        }
        for i in reports.indices { reports[i].diagnostics.sort { $0.location < $1.location } }
    }
}
