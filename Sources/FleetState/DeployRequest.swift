import Foundation

/// The commit the fleet is asked to serve (SPEC §7, `switchyard deploy` with `--cluster`),
/// as kept in etcd: every instance reads it, loads that commit from its own repository,
/// and reports the commit it serves.
public struct DeployRequest: Codable, Sendable, Hashable {
    public var commit: String
    public var requestedBy: String?
    public var at: Date

    public init(commit: String, requestedBy: String?, at: Date) {
        self.commit = commit
        self.requestedBy = requestedBy
        self.at = at
    }
}
