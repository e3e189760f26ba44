import Zones

/// Runs one probe of a check and says whether it passed. The network implementation is
/// `NetworkProber`; tests of scheduling may supply their own.
public protocol Prober: Sendable {
    func probe(_ check: HealthCheckDefinition) async -> ProbeResult
}
