import DNSWire
import Foundation
import ZoneFile

/// The zones being served and how they got there: takes each loaded version of the zone
/// files, keeps a zone's previous version serving when its new version fails (SPEC §5),
/// drops zones whose files were removed, and publishes each result as one new `ZoneSet`.
/// It reads nothing and asks no clock: the reloader at the edge hands it what was loaded
/// and when.
public actor ZoneCatalog {
    /// One zone file and its serving state.
    public struct Entry: Sendable {
        public var file: String
        public var origin: DomainName?
        /// The version being served (nil: never loaded successfully).
        public var zone: Zone?
        public var loadedAt: Date?
        /// The commit the served version came from (nil for a folder).
        public var commit: String?
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
        /// The commit this reload tried (nil for a folder, or when none could be named).
        public var commit: String?

        public var failed: Bool { outcome == .failed || outcome == .failedKeptPrevious }
    }

    public let store: ZoneStore
    var entries: [String: Entry] = [:]

    public init(store: ZoneStore) {
        self.store = store
    }

    public var allEntries: [Entry] { entries.values.sorted { $0.file < $1.file } }

    /// Swaps in a loaded version at once: zones that loaded replace theirs, zones that
    /// failed keep their previous version, zones whose files are gone are dropped.
    public func apply(_ load: ZoneSetLoad, at now: Date) -> [ZoneResult] {
        var results: [ZoneResult] = []
        var next: [String: Entry] = [:]
        for report in load.reports {
            var entry = entries[report.file] ?? Entry(file: report.file, origin: report.origin, zone: nil, loadedAt: nil,
                                                      commit: nil, lastErrors: [], warnings: [])
            entry.warnings = report.diagnostics.filter { $0.severity == .warning }
            if let zone = report.zone, report.succeeded {
                entry.zone = zone
                entry.origin = zone.origin
                entry.loadedAt = now
                entry.commit = load.version
                entry.lastErrors = []
                results.append(ZoneResult(file: report.file, origin: zone.origin.description, outcome: .loaded, errors: [], commit: load.version))
            } else {
                entry.lastErrors = report.errors
                let kept = entry.zone != nil && (report.origin == nil || report.origin == entry.zone!.origin)
                if !kept {
                    entry.zone = nil
                    entry.commit = nil
                }
                results.append(ZoneResult(file: report.file, origin: (report.origin ?? entry.origin)?.description,
                                          outcome: kept ? .failedKeptPrevious : .failed, errors: report.errors, commit: load.version))
            }
            next[report.file] = entry
        }
        for (file, old) in entries where next[file] == nil {
            results.append(ZoneResult(file: file, origin: old.origin?.description, outcome: .removed, errors: [], commit: load.version))
        }
        entries = next
        store.replace(ZoneSet(zones: servingZones()))
        return results.sorted { $0.file < $1.file }
    }

    /// A source that gave nothing at all (a missing folder, a ref naming no commit): every
    /// zone keeps serving its version and shows the error.
    public func refuse(_ error: ZoneSourceError) -> [ZoneResult] {
        let diagnostic = Diagnostic(at: SourceLocation(file: error.path, line: 1, column: 1), error.message)
        for key in entries.keys { entries[key]!.lastErrors = [diagnostic] }
        return allEntries.map {
            ZoneResult(file: $0.file, origin: $0.origin?.description, outcome: $0.zone == nil ? .failed : .failedKeptPrevious,
                       errors: [diagnostic], commit: error.version)
        }
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
