import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps overrides in `--state-dir` so a drill survives `kill -9` and restarts: the current
/// overrides in `overrides.json`, written atomically (write, fsync, rename, fsync the
/// folder), and every change appended to `override-history.jsonl`.
public struct OverrideStore: Sendable {
    public let directory: String

    public var overridesPath: String { directory + "/overrides.json" }
    public var historyPath: String { directory + "/override-history.jsonl" }

    /// A state folder problem, naming the file.
    public struct StateError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    struct File: Codable {
        var version: Int
        var overrides: [String: HealthOverride]
    }

    public init(directory: String) {
        self.directory = directory
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
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StateError(path: directory, message: "cannot create state folder: \(error.localizedDescription)")
        }
        guard access(directory, W_OK) == 0 else {
            throw StateError(path: directory, message: "state folder is not writable")
        }
        guard FileManager.default.fileExists(atPath: overridesPath) else { return [:] }
        guard let data = FileManager.default.contents(atPath: overridesPath) else {
            throw StateError(path: overridesPath, message: "cannot read saved overrides")
        }
        do {
            let file = try OverrideStore.decoder().decode(File.self, from: data)
            guard file.version == 1 else {
                throw StateError(path: overridesPath, message: "unknown format version \(file.version)")
            }
            return file.overrides
        } catch let error as StateError {
            throw error
        } catch {
            throw StateError(path: overridesPath, message: "saved overrides are not valid: \(error)")
        }
    }

    /// Replaces the saved overrides atomically.
    public func save(_ overrides: [String: HealthOverride]) throws(StateError) {
        let data: Data
        do { data = try OverrideStore.encoder().encode(File(version: 1, overrides: overrides)) } catch {
            throw StateError(path: overridesPath, message: "cannot encode overrides: \(error)")
        }
        let temporary = overridesPath + ".tmp"
        try writeDurably(data, to: temporary)
        guard rename(temporary, overridesPath) == 0 else {
            throw StateError(path: overridesPath, message: "cannot rename into place: \(String(cString: strerror(errno)))")
        }
        syncDirectory()
    }

    /// Appends one change to the history.
    public func append(_ change: OverrideChange) throws(StateError) {
        var data: Data
        do { data = try OverrideStore.encoder().encode(change) } catch {
            throw StateError(path: historyPath, message: "cannot encode history entry: \(error)")
        }
        data.append(0x0A)
        let fd = open(historyPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StateError(path: historyPath, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try writeAll(fd, data, path: historyPath)
        fsync(fd)
    }

    /// Every recorded change, oldest first (unreadable lines are skipped).
    public func history() -> [OverrideChange] {
        guard let data = FileManager.default.contents(atPath: historyPath) else { return [] }
        let decoder = OverrideStore.decoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(OverrideChange.self, from: Data($0)) }
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
