import Foundation
import ZoneFile
import Zones
import ZoneSources

/// One side of `switchyard diff`: a folder of zone files, or a commit read from the git
/// object store by the same source `serve --git` uses (the user's work tree and index are
/// never touched), loaded with every check `serve` applies.
struct DiffVersion {
    /// Why a side could not be loaded: the lines to print, FILE:LINE:COLUMN first.
    struct LoadError: Error {
        var lines: [String]
    }

    let argument: String
    let repository: String?
    let zonePath: String
    let limits: ZoneLimits

    /// The argument names a folder (read as is) unless it is not one, then a commit-ish.
    var isFolder: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    func load() throws(LoadError) -> ZoneSet {
        if isFolder { return try load(from: FolderZoneSource(paths: [argument]), version: nil, shown: argument) }
        let repository = repository ?? "."
        let source: GitZoneSource
        do { source = try GitZoneSource(repository: repository, ref: argument, directory: zonePath) } catch {
            throw LoadError(lines: ["\(argument): error: not a folder, nor a commit in the git repository \(repository): \(error.message)"])
        }
        return try load(from: source, version: argument, shown: argument)
    }

    func load(from source: some ZoneSource, version: String?, shown: String) throws(LoadError) -> ZoneSet {
        let reports: [ZoneFileReport]
        do {
            reports = try ZoneSetLoader(limits: limits).load(from: source, version: version).reports
        } catch {
            throw LoadError(lines: ["\(error)"])
        }
        let failed = reports.filter { !$0.succeeded }
        if !failed.isEmpty {
            throw LoadError(lines: failed.flatMap { $0.errors.map { "\($0)" } })
        }
        if reports.isEmpty { throw LoadError(lines: ["\(shown): error: no *.zone files found"]) }
        return ZoneSet(zones: reports.compactMap(\.zone))
    }
}
