import DNSWire
import Foundation
import ZoneFile

/// What loading one zone file gave: the zone, or the errors that kept it out.
public struct ZoneFileReport: Sendable {
    public var file: String
    public var origin: DomainName?
    public var zone: Zone?
    public var diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var succeeded: Bool { zone != nil && errors.isEmpty }
}

/// Loads every zone file of a `ZoneDirectory` and checks them together. Used by `check`,
/// by `serve` at start, and by every reload.
public struct ZoneSetLoader: Sendable {
    public let directory: ZoneDirectory
    public let limits: ZoneLimits

    public init(directory: ZoneDirectory, limits: ZoneLimits = .standard) {
        self.directory = directory
        self.limits = limits
    }

    /// Parses and validates every file; a zone with any error (its own or cross-zone) has
    /// `zone == nil` in its report.
    public func load() throws(ZoneDirectory.ReadError) -> [ZoneFileReport] {
        var reports: [ZoneFileReport] = []
        var seenOrigins: [DomainName: String] = [:]
        for location in try directory.zoneFiles() {
            var report = loadFile(location)
            if let origin = report.origin, let first = seenOrigins[origin] {
                report.diagnostics.append(Diagnostic(at: SourceLocation(file: location.path, line: 1, column: 1),
                                                     "zone \(origin) is already loaded from \(first)"))
                report.zone = nil
            } else if let origin = report.origin {
                seenOrigins[origin] = location.path
            }
            reports.append(report)
        }
        ZoneSetLoader.crossCheck(&reports)
        return reports
    }

    func loadFile(_ location: ZoneDirectory.ZoneFileLocation) -> ZoneFileReport {
        let bytes: [UInt8]
        do { bytes = try ZoneDirectory.read(location.path, maximumBytes: limits.maximumBytes) } catch {
            return ZoneFileReport(file: location.path, origin: nil, zone: nil,
                                  diagnostics: [Diagnostic(at: SourceLocation(file: location.path, line: 1, column: 1), error.message)])
        }
        let originText = ZoneDirectory.origin(forFile: location.path)
        let fileOrigin: DomainName
        var nameProblem: String? = nil
        do { fileOrigin = try DomainName(originText, origin: .root) } catch {
            // A leading $ORIGIN can still name the zone; parse under the root to find out.
            fileOrigin = .root
            nameProblem = error.message
        }
        let displayFolder = (location.path as NSString).deletingLastPathComponent
        let parser = ZoneFileParser(source: FolderIncludeSource(folder: location.folder, displayFolder: displayFolder,
                                                                maximumBytes: limits.maximumBytes),
                                    limits: limits)
        let parsed = parser.parse(file: location.path, identity: ZoneDirectory.realPath(location.path), bytes: bytes, fileOrigin: fileOrigin)
        if let nameProblem, parsed.origin == .root {
            return ZoneFileReport(file: location.path, origin: nil, zone: nil, diagnostics: [Diagnostic(
                at: SourceLocation(file: location.path, line: 1, column: 1),
                "file name does not give a valid origin (\(nameProblem)); add $ORIGIN before the first record or rename the file")])
        }
        if parsed.stoppedAtLimit {
            // Half a zone: building it would only add errors about what was never read.
            return ZoneFileReport(file: location.path, origin: parsed.origin, zone: nil,
                                  diagnostics: parsed.diagnostics.sorted { $0.location < $1.location })
        }
        let (zone, diagnostics) = ZoneLoader().load(parsed)
        return ZoneFileReport(file: location.path, origin: parsed.origin, zone: zone, diagnostics: diagnostics)
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
