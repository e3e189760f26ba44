/// Gives the parser the files that `$INCLUDE` names, so the parser itself does no I/O and
/// the confinement rule (includes stay inside the zone folder) lives with the file system.
public protocol ZoneFileSource {
    /// Reads the file `path` (as written after `$INCLUDE`) named from `includingFile`.
    /// Returns the name to show in messages, a stable identity (to detect include cycles
    /// and to watch), and the contents; throws a message fit for the user.
    func include(_ path: String, from includingFile: String) throws(IncludeError) -> IncludedFile
}

/// A file that `$INCLUDE` brought in.
public struct IncludedFile: Sendable {
    public var displayName: String
    public var identity: String
    public var bytes: [UInt8]

    public init(displayName: String, identity: String, bytes: [UInt8]) {
        self.displayName = displayName
        self.identity = identity
        self.bytes = bytes
    }
}

/// Why an `$INCLUDE` could not be read.
public struct IncludeError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// A source that refuses every include (for parsing text that stands alone).
public struct NoIncludes: ZoneFileSource {
    public init() {}
    public func include(_ path: String, from includingFile: String) throws(IncludeError) -> IncludedFile {
        throw IncludeError("$INCLUDE is not available here")
    }
}
