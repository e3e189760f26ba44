import Foundation

/// Runs a fuzz entry over saved inputs: what the fuzz executables do when built without
/// libFuzzer (to replay a corpus or a crash file), and what the corpus tests iterate.
public enum FuzzReplay {
    /// Every regular file named in `paths`, and every regular file directly inside each
    /// folder named, in a stable order; hidden files (such as `.gitkeep`) are skipped.
    public static func inputs(in paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            if !isFolder.boolValue {
                files.append(path)
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let file = (path as NSString).appendingPathComponent(name)
                var isSubfolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: file, isDirectory: &isSubfolder), !isSubfolder.boolValue {
                    files.append(file)
                }
            }
        }
        return files
    }

    /// Feeds one file to `entry`.
    public static func replay(_ file: String, through entry: (UnsafeRawBufferPointer) -> Void) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        bytes.withUnsafeBytes { entry($0) }
    }

    /// The replayer's command line: `FUZZER FILE-OR-FOLDER...`. Returns the exit status.
    public static func main(arguments: [String], entry: (UnsafeRawBufferPointer) -> Void) -> Int32 {
        let paths = Array(arguments.dropFirst())
        guard !paths.isEmpty else {
            print("usage: \(arguments.first ?? "fuzzer") FILE-OR-FOLDER...  (replays inputs; Fuzz/run.sh builds the libFuzzer version)")
            return 2
        }
        let files = inputs(in: paths)
        for file in files {
            do { try replay(file, through: entry) } catch {
                print("\(file): \(error)")
                return 1
            }
        }
        print("replayed \(files.count) input(s)")
        return 0
    }
}
