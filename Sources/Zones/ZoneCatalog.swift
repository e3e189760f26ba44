import DNSWire
import Foundation
import ZoneFile

/// The zones being served and how they got there: loads and reloads the zone folder,
/// keeps a zone's previous version serving when its new version fails (SPEC §5), drops
/// zones whose files were removed, and publishes each result as one new `ZoneSet`.
public actor ZoneCatalog {
    /// One zone file and its serving state.
    public struct Entry: Sendable {
        public var file: String
        public var origin: DomainName?
        /// The version being served (nil: never loaded successfully).
        public var zone: Zone?
        public var loadedAt: Date?
        /// Errors of the last attempt; empty when it succeeded.
        public var lastErrors: [Diagnostic]
        public var warnings: [Diagnostic]
    }

    /// What one reload did to one zone.
    public struct ZoneResult: Sendable {
        public var file: String
        public var origin: String?
        public enum Outcome: String, Sendable {
            case loaded
            /// The new version failed; the previous one keeps serving.
            case failedKeptPrevious = "failed-kept-previous"
            /// The new version failed and there was no previous one.
            case failed
            /// The file is gone; the zone is no longer served.
            case removed
        }
        public var outcome: Outcome
        public var errors: [Diagnostic]
    }

    public let loader: ZoneSetLoader
    public let store: ZoneStore
    var entries: [String: Entry] = [:]
    public private(set) var reloadCount = 0
    public private(set) var failedReloadCount = 0

    public init(loader: ZoneSetLoader, store: ZoneStore) {
        self.loader = loader
        self.store = store
    }

    public var allEntries: [Entry] { entries.values.sorted { $0.file < $1.file } }

    /// Loads every zone file again and swaps in the result at once.
    @discardableResult
    public func reload() -> [ZoneResult] {
        reloadCount += 1
        let reports: [ZoneFileReport]
        do {
            reports = try loader.load()
        } catch {
            failedReloadCount += 1
            let diagnostic = Diagnostic(at: SourceLocation(file: error.path, line: 1, column: 1), error.message)
            for key in entries.keys { entries[key]!.lastErrors = [diagnostic] }
            return entries.values.map { ZoneResult(file: $0.file, origin: $0.origin?.description, outcome: .failedKeptPrevious, errors: [diagnostic]) }
        }
        var results: [ZoneResult] = []
        var next: [String: Entry] = [:]
        let now = Date()
        for report in reports {
            var entry = entries[report.file] ?? Entry(file: report.file, origin: report.origin, zone: nil, loadedAt: nil, lastErrors: [], warnings: [])
            entry.warnings = report.diagnostics.filter { $0.severity == .warning }
            if let zone = report.zone, report.succeeded {
                entry.zone = zone
                entry.origin = zone.origin
                entry.loadedAt = now
                entry.lastErrors = []
                results.append(ZoneResult(file: report.file, origin: zone.origin.description, outcome: .loaded, errors: []))
            } else {
                entry.lastErrors = report.errors
                let kept = entry.zone != nil && (report.origin == nil || report.origin == entry.zone!.origin)
                if !kept { entry.zone = nil }
                results.append(ZoneResult(file: report.file, origin: (report.origin ?? entry.origin)?.description,
                                          outcome: kept ? .failedKeptPrevious : .failed, errors: report.errors))
            }
            next[report.file] = entry
        }
        for (file, old) in entries where next[file] == nil {
            results.append(ZoneResult(file: file, origin: old.origin?.description, outcome: .removed, errors: []))
        }
        entries = next
        if results.contains(where: { $0.outcome == .failed || $0.outcome == .failedKeptPrevious }) { failedReloadCount += 1 }
        store.replace(ZoneSet(zones: servingZones()))
        return results.sorted { $0.file < $1.file }
    }

    /// Zones to serve: one per origin (the first file wins a duplicate origin).
    func servingZones() -> [Zone] {
        var seen: Set<DomainName> = []
        var zones: [Zone] = []
        for entry in allEntries {
            guard let zone = entry.zone, seen.insert(zone.origin).inserted else { continue }
            zones.append(zone)
        }
        return zones
    }

    /// Every file read for the zones (zone files and includes), for `--watch`.
    public var watchedFiles: [String] {
        Array(Set(entries.values.compactMap { $0.zone?.files }.flatMap { $0 } + entries.keys)).sorted()
    }
}
