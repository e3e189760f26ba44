import Foundation
import ZoneFile
import Zones

/// The zone files on disk: every `*.zone` in the paths given to `serve` or `check`, read
/// from the work tree as it is now, with `$INCLUDE` served from inside the zone's own
/// folder only.
public struct FolderZoneSource: ZoneSource {
    /// Files or folders as the user gave them.
    public let paths: [String]

    public init(paths: [String]) {
        self.paths = paths
    }

    /// A zone file found on disk, with the folder its includes must stay in.
    struct Location: Hashable, Sendable {
        /// The path as shown to the user.
        var path: String
        /// The folder that confines its `$INCLUDE`s (resolved, no symlinks).
        var folder: String
    }

    public func withSnapshot<Result>(version: String?, limits: ZoneLimits,
                                     _ body: (ZoneSnapshot) -> Result) throws(ZoneSourceError) -> Result {
        if let version {
            throw ZoneSourceError(path: paths.joined(separator: " "),
                                  message: "zone folders have no versions: only a git source (serve --git) can load commit \(version)",
                                  version: version)
        }
        let files = try zoneFiles().map { location in
            let parent = (location.path as NSString).deletingLastPathComponent
            return ZoneSourceFile(path: location.path, displayName: location.path,
                                  identity: FolderZoneSource.realPath(location.path) ?? location.path,
                                  includes: FolderIncludeSource(folder: location.folder, displayFolder: parent,
                                                                maximumBytes: limits.maximumBytes)) {
                do throws(ZoneSourceError) {
                    return .bytes(try FolderZoneSource.read(location.path, maximumBytes: limits.maximumBytes))
                } catch {
                    return .unreadable(error.message)
                }
            } openBlocks: {
                FileBlocks.open(location.path, maximumBytes: limits.maximumBytes)
            }
        }
        return body(ZoneSnapshot(version: nil, files: files))
    }

    /// Every `*.zone` file directly in the given folders, and every file named directly,
    /// sorted by path so loads are repeatable.
    func zoneFiles() throws(ZoneSourceError) -> [Location] {
        var result: [Location] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ZoneSourceError(path: path, message: "no such file or folder")
            }
            if isDirectory.boolValue {
                let entries: [String]
                do { entries = try fm.contentsOfDirectory(atPath: path) } catch {
                    throw ZoneSourceError(path: path, message: "cannot list folder: \(error.localizedDescription)")
                }
                let folder = FolderZoneSource.realPath(path) ?? path
                for entry in entries.sorted() where entry.hasSuffix(".zone") && !entry.hasPrefix(".") {
                    let full = path.hasSuffix("/") ? path + entry : path + "/" + entry
                    result.append(Location(path: full, folder: folder))
                }
            } else {
                let parent = (path as NSString).deletingLastPathComponent
                let folder = FolderZoneSource.realPath(parent.isEmpty ? "." : parent) ?? parent
                result.append(Location(path: path, folder: folder))
            }
        }
        return result
    }

    /// The bytes of a file, or a message saying why not. A file larger than
    /// `maximumBytes` is refused before it is read.
    static func read(_ path: String, maximumBytes: Int = .max) throws(ZoneSourceError) -> [UInt8] {
        if let size = fileSize(path), size > maximumBytes {
            throw ZoneSourceError(path: path, message: "zone file of \(size) bytes exceeds the limit of \(maximumBytes) bytes per zone (--max-zone-bytes)")
        }
        guard let bytes = readWhole(path, maximumBytes: maximumBytes) else {
            throw ZoneSourceError(path: path, message: "cannot read file")
        }
        return bytes
    }

    /// The file's bytes read straight into one array (no second copy), or nil when it
    /// cannot be opened or read. Reads at most `maximumBytes` + 1 octets, so a file that
    /// grows while it is read is still caught by the caller's size check.
    static func readWhole(_ path: String, maximumBytes: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let limit = maximumBytes == .max ? Int.max : maximumBytes + 1
        // One read of the whole file plus the octet that shows it ended.
        var chunk = min(limit, max(64 * 1024, (fileSize(path) ?? 0) + 1))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chunk)
        while bytes.count < limit {
            let start = bytes.count
            let wanted = min(chunk, limit - start)
            bytes.append(contentsOf: repeatElement(0, count: wanted))
            let read = bytes.withUnsafeMutableBytes { DescriptorRead.fill(descriptor, $0.baseAddress! + start, count: wanted) }
            guard let total = read else { return nil }
            bytes.removeLast(wanted - total)
            if total < wanted { break }
            chunk = 1 << 20
        }
        return bytes
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
        guard path.hasPrefix("/") || IncludePath.staysInside(path) else {
            throw IncludeError("$INCLUDE file '\(path)' is outside the zone folder")
        }
        let candidate = path.hasPrefix("/") ? path : folder + "/" + path
        guard let resolved = FolderZoneSource.realPath(candidate) else {
            throw IncludeError("cannot open $INCLUDE file '\(path)'")
        }
        guard resolved.hasPrefix(folder + "/") else {
            throw IncludeError("$INCLUDE file '\(path)' is outside the zone folder")
        }
        if let size = FolderZoneSource.fileSize(resolved), size > maximumBytes {
            throw IncludeError("$INCLUDE file '\(path)' of \(size) bytes exceeds the limit of \(maximumBytes) bytes per zone (--max-zone-bytes)")
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw IncludeError("cannot read $INCLUDE file '\(path)'")
        }
        let relative = String(resolved.dropFirst(folder.count + 1))
        let display = displayFolder.isEmpty || displayFolder == "." ? relative : displayFolder + "/" + relative
        return IncludedFile(displayName: display, identity: resolved, bytes: [UInt8](data))
    }
}

/// The `$INCLUDE` path rules every source shares.
enum IncludePath {
    /// True when a relative path never climbs above its starting folder with `..`.
    static func staysInside(_ path: String) -> Bool {
        normalized(path) != nil
    }

    /// The path's components with `.` and `..` worked out, or nil when it climbs above
    /// its starting folder.
    static func normalized(_ path: String) -> [Substring]? {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                guard !components.isEmpty else { return nil }
                components.removeLast()
            default: components.append(component)
            }
        }
        return components
    }
}
