#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why a table or database file could not be read.
struct FileReadError: Error {
    var reason: String
}

/// The module's only I/O: reading a whole file, given its path, into bytes. Everything
/// after this works on `[UInt8]`, so parsers are tested on in-memory data.
enum FileBytes {
    static func read(_ path: String) throws(FileReadError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw FileReadError(reason: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileReadError(reason: "not a readable file (a directory, or permission denied)")
        }
        return [UInt8](data)
    }
}
