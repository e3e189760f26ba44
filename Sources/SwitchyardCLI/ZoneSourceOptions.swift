import ArgumentParser
import Zones
import ZoneSources

/// Where `serve` and `check` read zones: the files or folders given, or with `--git` a
/// commit of a repository (SPEC §7).
struct ZoneSourceOptions: ParsableArguments {
    @Argument(help: "Zone files or folders of *.zone files (default: zones; not with --git).")
    var zones: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read the zone files from a commit of this git repository, never from its work tree.", valueName: "repo"))
    var git: String?

    @Option(name: .long, help: ArgumentHelp("With --git: the branch, tag or commit to serve, followed on reload and --watch (default: the branch checked out in the repository).", valueName: "ref"))
    var ref: String?

    @Option(name: .long, help: ArgumentHelp("With --git: the folder of the commit holding the *.zone files (default: zones).", valueName: "dir"))
    var gitPath: String?

    @Option(name: .long, help: ArgumentHelp("With --git: seconds one load (or one look at REF) may take before git is stopped and the load reported failed.", valueName: "seconds"))
    var gitTimeout: Double = 30

    func validate() throws {
        if !(gitTimeout > 0 && gitTimeout <= 3600) { throw ValidationError("--git-timeout must be more than 0 and at most 3600 seconds") }
        if git != nil, !zones.isEmpty {
            throw ValidationError("give zone files or folders, or --git, not both (\(zones.joined(separator: " ")) and --git \(git!))")
        }
        if git == nil, ref != nil { throw ValidationError("--ref needs --git") }
        if git == nil, gitPath != nil { throw ValidationError("--git-path needs --git") }
        if let ref, ref.isEmpty || ref.hasPrefix("-") { throw ValidationError("--ref '\(ref)' is not a ref") }
        if let gitPath, gitPath.hasPrefix("/") || gitPath.split(separator: "/").contains("..") {
            throw ValidationError("--git-path '\(gitPath)' must be a folder inside the repository")
        }
    }

    /// The folders read when no `--git` is given.
    var paths: [String] { zones.isEmpty ? ["zones"] : zones }

    /// What the zones are read from, as the user described it.
    var description: String {
        if let git { return "git \(git) \(ref ?? "(checked-out branch)") \(gitPath ?? "zones")" }
        return paths.joined(separator: " ")
    }

    func source() throws(ZoneSourceError) -> any ZoneSource {
        guard let git else { return FolderZoneSource(paths: paths) }
        return try GitZoneSource(repository: git, ref: ref, directory: gitPath ?? "zones",
                                 timeout: .milliseconds(Int64((gitTimeout * 1000).rounded())))
    }
}
