import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps overrides in `--state-dir` so a drill survives `kill -9` and restarts: the current
/// overrides in `overrides.json`, written atomically (write, fsync, rename, fsync the
/// folder), and every change appended to `override-history.jsonl`, which is rotated to
/// `override-history.jsonl.1` (replacing an older one) once it reaches `rotateAt` bytes.
public struct OverrideStore: Sendable {
    public let directory: String
    /// The history file is rotated when it has reached this size (SPEC §5: 10 MB).
    public let rotateAt: Int

    public static let defaultRotateAt = 10 * 1024 * 1024

    public var overridesPath: String { directory + "/overrides.json" }
    public var historyPath: String { directory + "/override-history.jsonl" }
    public var rotatedHistoryPath: String { historyPath + ".1" }

    /// A state folder problem, naming the file.
    public struct StateError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }

        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }
    }

    struct File: Codable {
        var version: Int
        var overrides: [String: HealthOverride]
        /// The state revision these overrides are at (absent in files from before revisions:
        /// read as 0).
        var revision: Int64?
    }

    public init(directory: String, rotateAt: Int = OverrideStore.defaultRotateAt) {
        self.directory = directory
        self.rotateAt = max(1, rotateAt)
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Creates the folder when missing and reads the saved overrides. A file that exists
    /// but cannot be read or parsed is an error: overrides are never silently forgotten.
    public func load() throws(StateError) -> [String: HealthOverride] {
        try loadState().overrides
    }

    /// The saved overrides with their revision (0 when none was saved).
    public func loadState() throws(StateError) -> (overrides: [String: HealthOverride], revision: Int64) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StateError(path: directory, message: "cannot create state folder: \(error.localizedDescription)")
        }
        guard access(directory, W_OK) == 0 else {
            throw StateError(path: directory, message: "state folder is not writable")
        }
        guard FileManager.default.fileExists(atPath: overridesPath) else { return ([:], 0) }
        guard let data = FileManager.default.contents(atPath: overridesPath) else {
            throw StateError(path: overridesPath, message: "cannot read saved overrides")
        }
        do {
            let file = try OverrideStore.decoder().decode(File.self, from: data)
            guard file.version == 1 else {
                throw StateError(path: overridesPath, message: "unknown format version \(file.version)")
            }
            return (file.overrides, file.revision ?? 0)
        } catch let error as StateError {
            throw error
        } catch {
            throw StateError(path: overridesPath, message: "saved overrides are not valid: \(error)")
        }
    }

    /// Replaces the saved overrides atomically (on its own: `commit` pairs it with history).
    public func save(_ overrides: [String: HealthOverride], revision: Int64 = 0) throws(StateError) {
        let data: Data
        do { data = try OverrideStore.encoder().encode(File(version: 1, overrides: overrides, revision: revision)) } catch {
            throw StateError(path: overridesPath, message: "cannot encode overrides: \(error)")
        }
        try replaceDurably(overridesPath, with: data)
    }

    /// Replaces a file of the state folder atomically: write a temporary file, fsync,
    /// rename over, fsync the folder (also for the drills' file).
    public func replaceDurably(_ path: String, with data: Data) throws(StateError) {
        let temporary = path + ".tmp"
        try writeDurably(data, to: temporary)
        guard rename(temporary, path) == 0 else {
            throw StateError(path: path, message: "cannot rename into place: \(String(cString: strerror(errno)))")
        }
        syncDirectory()
    }

    /// Records `changes` and makes `overrides` the saved set, all or nothing. The history
    /// entries are appended (and synced) first, then the new `overrides.json` is renamed
    /// into place; if that fails the history is cut back to its old length, so a write that
    /// fails leaves both files as they were and a restart sees no change. A crash between
    /// the two steps leaves a history entry for a change that did not take effect, never
    /// an override in effect without its record.
    public func commit(_ overrides: [String: HealthOverride], changes: [OverrideChange], revision: Int64 = 0) throws(StateError) {
        try rotateIfFull()
        var data = Data()
        for change in changes {
            do { data.append(try OverrideStore.encoder().encode(change)) } catch {
                throw StateError(path: historyPath, message: "cannot encode history entry: \(error)")
            }
            data.append(0x0A)
        }
        let fd = open(historyPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StateError(path: historyPath, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let length = lseek(fd, 0, SEEK_END)
        guard length >= 0 else { throw StateError(path: historyPath, message: "cannot seek: \(String(cString: strerror(errno)))") }
        do throws(StateError) {
            try writeAll(fd, data, path: historyPath)
            guard fsync(fd) == 0 else { throw StateError(path: historyPath, message: "fsync failed: \(String(cString: strerror(errno)))") }
            try save(overrides, revision: revision)
        } catch {
            if ftruncate(fd, length) != 0 || fsync(fd) != 0 {
                throw StateError(path: error.path, message: "\(error.message); and \(historyPath) could not be cut back to \(length) bytes: \(String(cString: strerror(errno)))")
            }
            throw error
        }
    }

    /// Moves a full history file to `override-history.jsonl.1`, replacing an older one.
    func rotateIfFull() throws(StateError) {
        var info = stat()
        guard stat(historyPath, &info) == 0, Int(info.st_size) >= rotateAt else { return }
        guard rename(historyPath, rotatedHistoryPath) == 0 else {
            throw StateError(path: historyPath, message: "cannot rotate to \(rotatedHistoryPath): \(String(cString: strerror(errno)))")
        }
        syncDirectory()
    }

    /// The newest `limit` recorded changes still on disk (the rotated file, then the current
    /// one), oldest first; unparseable lines are skipped. Only those lines are decoded, so
    /// a start with 20 MB of history stays quick. A file that exists but cannot be read is
    /// an error naming it.
    public func loadHistory(newest limit: Int = .max) throws(StateError) -> [OverrideChange] {
        var lines: [Data] = []
        // Newest first: the current file from its end, then the rotated one.
        for path in [historyPath, rotatedHistoryPath] where lines.count < limit && FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw StateError(path: path, message: "cannot read the override history")
            }
            OverrideStore.lastLines(of: data, upTo: limit - lines.count, into: &lines)
        }
        let decoder = OverrideStore.decoder()
        return lines.reversed().compactMap { try? decoder.decode(OverrideChange.self, from: $0) }
    }

    /// Appends up to `count` non-empty lines of `data`, last line first, scanning back
    /// from the end so a large file costs a scan of its tail only.
    static func lastLines(of data: Data, upTo count: Int, into lines: inout [Data]) {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var end = raw.count
            var taken = 0
            while end > 0 && taken < count {
                var start = end
                while start > 0 && raw[start - 1] != 0x0A { start -= 1 }
                if start < end {
                    lines.append(Data(bytes: base + start, count: end - start))
                    taken += 1
                }
                end = start - (start > 0 ? 1 : 0)
            }
        }
    }

    /// Every recorded change still on disk, oldest first (unreadable files and lines are
    /// skipped). Reads the files: for tools and tests; the monitor keeps its own copy.
    public func history() -> [OverrideChange] {
        (try? loadHistory()) ?? []
    }

    func writeDurably(_ data: Data, to path: String) throws(StateError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StateError(path: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try writeAll(fd, data, path: path)
        guard fsync(fd) == 0 else { throw StateError(path: path, message: "fsync failed: \(String(cString: strerror(errno)))") }
    }

    func writeAll(_ fd: Int32, _ data: Data, path: String) throws(StateError) {
        let ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard ok else { throw StateError(path: path, message: "write failed: \(String(cString: strerror(errno)))") }
    }

    /// Makes the rename itself durable.
    func syncDirectory() {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
