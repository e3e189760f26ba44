import Foundation
import ZoneFile
import Zones

/// One side of `switchyard diff`: a folder of zone files, or a commit whose zone folder is
/// extracted with `git archive` into a scratch folder (the user's work tree and index are
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

    func load(scratch: URL) throws(LoadError) -> ZoneSet {
        if isFolder { return try loadFolder(argument, shownAs: nil) }
        let tree = scratch.appendingPathComponent(UUID().uuidString)
        let archive = tree.appendingPathExtension("tar")
        do { try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true) } catch {
            throw LoadError(lines: ["\(scratch.path): error: cannot create a scratch folder: \(error.localizedDescription)"])
        }
        let repository = repository ?? "."
        try Self.run(["git", "-C", repository, "rev-parse", "--verify", "--quiet", "\(argument)^{commit}"],
                     failure: "\(argument): error: not a folder, nor a commit in the git repository \(repository)")
        try Self.run(["git", "-C", repository, "archive", "--format=tar", "--output=\(archive.path)", argument, "--", zonePath],
                     failure: "\(argument): error: cannot read \(zonePath) from the commit")
        try Self.run(["tar", "-x", "-f", archive.path, "-C", tree.path], failure: "\(argument): error: cannot unpack \(zonePath)")
        return try loadFolder(tree.appendingPathComponent(zonePath).path, shownAs: (tree.path + "/", "\(argument):"))
    }

    /// Loads a folder like `check`; `shownAs` rewrites the scratch path in messages to
    /// COMMIT:PATH.
    func loadFolder(_ folder: String, shownAs: (scratch: String, commit: String)?) throws(LoadError) -> ZoneSet {
        func shown(_ text: String) -> String {
            guard let shownAs else { return text }
            return text.replacingOccurrences(of: shownAs.scratch, with: shownAs.commit)
        }
        let reports: [ZoneFileReport]
        do {
            reports = try ZoneSetLoader(directory: ZoneDirectory(paths: [folder]), limits: limits).load()
        } catch {
            throw LoadError(lines: [shown("\(error)")])
        }
        let failed = reports.filter { !$0.succeeded }
        if !failed.isEmpty {
            throw LoadError(lines: failed.flatMap { $0.errors.map { shown("\($0)") } })
        }
        if reports.isEmpty { throw LoadError(lines: [shown("\(folder): error: no *.zone files found")]) }
        return ZoneSet(zones: reports.compactMap(\.zone))
    }

    /// Runs a tool to completion with its output discarded except for the error text.
    static func run(_ arguments: [String], failure: String) throws(LoadError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw LoadError(lines: ["\(failure): cannot run \(arguments[0]): \(error.localizedDescription)"])
        }
        // Errors are short; reading to the end before waiting keeps a full pipe from blocking.
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let detail = text.split(separator: "\n").first.map { " (\($0))" } ?? ""
            throw LoadError(lines: [failure + detail])
        }
    }
}
