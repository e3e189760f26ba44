import ZoneFile

/// Where the zone files come from (a folder, a git commit): the seam between the pure
/// loader and the edge that reads. A source lists one version of its `*.zone` files with
/// their bytes, and confines `$INCLUDE` to what that version holds; the loader parses.
public protocol ZoneSource: Sendable {
    /// Reads one version of the zone files and hands it to `body` while its includes can
    /// still be read. `version` nil: the current one (a folder's files, the commit a git
    /// ref points at); otherwise that exact version (a commit id).
    func withSnapshot<Result>(version: String?, limits: ZoneLimits,
                              _ body: (ZoneSnapshot) -> Result) throws(ZoneSourceError) -> Result
}

/// One version of a source's zone files, as the loader parses it.
public struct ZoneSnapshot {
    /// What this version is called (a commit id), or nil for a folder.
    public var version: String?
    public var files: [ZoneSourceFile]

    public init(version: String?, files: [ZoneSourceFile]) {
        self.version = version
        self.files = files
    }
}

/// One zone file of a snapshot: its bytes, or why they could not be read, and where its
/// `$INCLUDE`s are looked up.
public struct ZoneSourceFile {
    /// What the contents were, or why they are missing (a message fit for the user).
    public enum Contents {
        case bytes([UInt8])
        case unreadable(String)
    }

    /// The same from one version to the next (`zones/drill.test.zone`): what a served zone
    /// is known by, so a reload replaces it.
    public var path: String
    /// The name messages show (`a1b2c3d:zones/drill.test.zone` for a commit).
    public var displayName: String
    /// Unique within the snapshot (include cycles are found by it).
    public var identity: String
    let readContents: () -> Contents
    public var includes: any ZoneFileSource
    /// Opens the file to be read a block at a time, so a big file's bytes are never all in
    /// memory while it is parsed; nil when the source gives whole contents only.
    public var openBlocks: (() -> BlockContents)?

    /// A file opened to be read in blocks, or why it could not be.
    public enum BlockContents {
        case blocks(any ZoneFileBlocks)
        case unreadable(String)
    }

    /// The file's contents, read when asked (a folder's file is read as the load reaches
    /// it, so a load of several big zones holds one file's bytes at a time).
    public var contents: Contents { readContents() }

    public init(path: String, displayName: String, identity: String, contents: Contents, includes: any ZoneFileSource) {
        self.init(path: path, displayName: displayName, identity: identity, includes: includes, reading: { contents })
    }

    public init(path: String, displayName: String, identity: String, includes: any ZoneFileSource, reading: @escaping () -> Contents,
                openBlocks: (() -> BlockContents)? = nil) {
        self.path = path
        self.displayName = displayName
        self.identity = identity
        self.readContents = reading
        self.includes = includes
        self.openBlocks = openBlocks
    }
}

/// A zone file opened to be read a block at a time.
public protocol ZoneFileBlocks: AnyObject {
    /// The file's size when it was opened.
    var size: Int { get }
    /// The next block of the file; nil at its end, or when reading failed (`failure`).
    func nextBlock() -> [UInt8]?
    /// Why reading failed, a message fit for the user; nil when it did not.
    var failure: String? { get }
}

/// Why a source could not give any zone files at all (a missing folder, a ref that names
/// no commit, git not answering).
public struct ZoneSourceError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    /// The version that was asked for or being read, when there is one.
    public var version: String?

    public init(path: String, message: String, version: String? = nil) {
        self.path = path
        self.message = message
        self.version = version
    }

    public var description: String { "\(path): error: \(message)" }
}
