/// The files under the zone folder of one commit, as `git ls-tree -r -l` lists them: the
/// zone files are found and every include is looked up here, sizes known before reading.
struct GitTree: Sendable {
    /// One path of the tree.
    struct Entry: Sendable {
        enum Kind: Sendable { case file, symlink, other }
        var path: String
        var kind: Kind
        var object: String
        var size: Int
    }

    let directory: String
    /// Every path under `directory`, by its full path in the tree.
    let entries: [String: Entry]

    /// `*.zone` files directly in `directory` (not in its subfolders, as for a folder on
    /// disk), sorted so loads are repeatable.
    var zoneFiles: [Entry] {
        let prefix = directory.isEmpty ? "" : directory + "/"
        return entries.values.filter { entry in
            guard entry.path.hasPrefix(prefix) else { return false }
            let name = entry.path.dropFirst(prefix.count)
            return !name.contains("/") && name.hasSuffix(".zone") && !name.hasPrefix(".")
        }.sorted { $0.path < $1.path }
    }

    static func list(_ git: GitCommand, commit: String, directory: String,
                     deadline: ContinuousClock.Instant) throws(GitCommand.Failure) -> GitTree {
        var arguments = ["ls-tree", "-r", "-l", "-z", "--full-tree", commit]
        if !directory.isEmpty { arguments += ["--", directory] }
        let output = try git.run(arguments, deadline: deadline)
        var entries: [String: Entry] = [:]
        for record in output.split(separator: 0) {
            // "<mode> <type> <object> <size>\t<path>", the size padded with spaces.
            guard let tab = record.firstIndex(of: UInt8(ascii: "\t")) else { continue }
            let fields = String(decoding: record[..<tab], as: UTF8.self).split(separator: " ")
            let path = String(decoding: record[(tab + 1)...], as: UTF8.self)
            guard fields.count == 4 else { continue }
            let kind: Entry.Kind = switch (fields[0], fields[1]) {
            case ("100644", "blob"), ("100755", "blob"): .file
            case ("120000", "blob"): .symlink
            default: .other
            }
            entries[path] = Entry(path: path, kind: kind, object: String(fields[2]), size: Int(fields[3]) ?? 0)
        }
        return GitTree(directory: directory, entries: entries)
    }
}
