import Foundation
import ZoneFile

/// The zone files on disk: finds every `*.zone` in the paths given to `serve` or `check`,
/// reads them, and serves `$INCLUDE` from inside the zone's own folder only. This is the
/// one place in the zone modules that touches the file system.
public struct ZoneDirectory: Sendable {
    /// Files or folders as the user gave them.
    public let paths: [String]

    public init(paths: [String]) {
        self.paths = paths
    }

    /// A zone file found on disk, with the folder its includes must stay in.
    public struct ZoneFileLocation: Hashable, Sendable {
        /// The path as shown to the user.
        public var path: String
        /// The folder that confines its `$INCLUDE`s (resolved, no symlinks).
        public var folder: String
    }

    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var message: String
        public var description: String { "\(path): error: \(message)" }
    }

    /// Every `*.zone` file directly in the given folders, and every file named directly,
    /// sorted by path so loads are repeatable.
    public func zoneFiles() throws(ReadError) -> [ZoneFileLocation] {
        var result: [ZoneFileLocation] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReadError(path: path, message: "no such file or folder")
            }
            if isDirectory.boolValue {
                let entries: [String]
                do { entries = try fm.contentsOfDirectory(atPath: path) } catch {
                    throw ReadError(path: path, message: "cannot list folder: \(error.localizedDescription)")
                }
                let folder = ZoneDirectory.realPath(path) ?? path
                for entry in entries.sorted() where entry.hasSuffix(".zone") && !entry.hasPrefix(".") {
                    let full = path.hasSuffix("/") ? path + entry : path + "/" + entry
                    result.append(ZoneFileLocation(path: full, folder: folder))
                }
            } else {
                let parent = (path as NSString).deletingLastPathComponent
                let folder = ZoneDirectory.realPath(parent.isEmpty ? "." : parent) ?? parent
                result.append(ZoneFileLocation(path: path, folder: folder))
            }
        }
        return result
    }

    /// The bytes of a file, or a message saying why not. A file larger than
    /// `maximumBytes` is refused before it is read.
    public static func read(_ path: String, maximumBytes: Int = .max) throws(ReadError) -> [UInt8] {
        if let size = fileSize(path), size > maximumBytes {
            throw ReadError(path: path, message: "zone file of \(size) bytes exceeds the limit of \(maximumBytes) bytes per zone (--max-zone-bytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(path: path, message: "cannot read file")
        }
        return [UInt8](data)
    }

    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The origin a file name implies: `drill.test.zone` → `drill.test.`.
    public static func origin(forFile path: String) -> String {
        var name = (path as NSString).lastPathComponent
        if name.hasSuffix(".zone") { name.removeLast(5) }
        return name.hasSuffix(".") ? name : name + "."
    }
}

/// `$INCLUDE` on disk: paths are relative to the zone's folder, and a file outside that
/// folder (through `..`, an absolute path or a symlink) is refused.
public struct FolderIncludeSource: ZoneFileSource {
    let folder: String
    let displayFolder: String
    /// A file larger than this is refused before it is read (the zone's byte limit).
    let maximumBytes: Int

    public init(folder: String, displayFolder: String, maximumBytes: Int = .max) {
        self.folder = folder
        self.displayFolder = displayFolder
        self.maximumBytes = maximumBytes
    }

    public func include(_ path: String, from includingFile: String) throws(IncludeError) -> IncludedFile {
        // A relative path that climbs out with `..` is refused whether or not its file
        // exists; every path is checked again once resolved, for symlinks.
        guard path.hasPrefix("/") || FolderIncludeSource.staysInside(path) else {
            throw IncludeError("$INCLUDE file '\(path)' is outside the zone folder")
        }
        let candidate = path.hasPrefix("/") ? path : folder + "/" + path
        guard let resolved = ZoneDirectory.realPath(candidate) else {
            throw IncludeError("cannot open $INCLUDE file '\(path)'")
        }
        guard resolved.hasPrefix(folder + "/") else {
            throw IncludeError("$INCLUDE file '\(path)' is outside the zone folder")
        }
        if let size = ZoneDirectory.fileSize(resolved), size > maximumBytes {
            throw IncludeError("$INCLUDE file '\(path)' of \(size) bytes exceeds the limit of \(maximumBytes) bytes per zone (--max-zone-bytes)")
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw IncludeError("cannot read $INCLUDE file '\(path)'")
        }
        let relative = String(resolved.dropFirst(folder.count + 1))
        let display = displayFolder.isEmpty || displayFolder == "." ? relative : displayFolder + "/" + relative
        return IncludedFile(displayName: display, identity: resolved, bytes: [UInt8](data))
    }

    /// True when a relative path never climbs above its starting folder with `..`.
    static func staysInside(_ path: String) -> Bool {
        var depth = 0
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": depth -= 1
            default: depth += 1
            }
            if depth < 0 { return false }
        }
        return true
    }
}
