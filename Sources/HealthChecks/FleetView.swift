import Foundation

/// The fleet as one instance sees it (SPEC §6, `GET /v1/fleet`): every live instance's
/// report, and whether they all serve the same zone versions and state revision.
public struct FleetView: Sendable {
    public var cluster: [String]?
    public var prefix: String?
    /// The newest state revision this instance has applied.
    public var revision: Int64
    public var instances: [InstanceReport]

    /// All instances serve the same zone versions at the same state revision.
    public var inSync: Bool {
        guard let first = instances.first else { return true }
        let zones = Set(first.zones)
        return instances.allSatisfy {
            $0.stateRevision == first.stateRevision && Set($0.zones) == zones && $0.commit == first.commit && $0.connected
        }
    }
}
