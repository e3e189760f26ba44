import Foundation
import HTTPTypes
import HealthChecks
import Hummingbird
import Prometheus
import Zones

/// `/metrics`: query counters (fed by the DNS server through swift-metrics), plus health,
/// override and zone gauges refreshed from the monitor and catalog at every scrape.
enum AdminMetrics {
    static func render(_ backend: AdminBackend) async -> Response {
        let registry = backend.registry
        let statuses = await backend.monitor.status()
        for status in statuses {
            let labels = [("id", status.id), ("region", status.definition.region ?? "")]
            registry.makeGauge(name: "switchyard_health_check_healthy", labels: labels,
                               help: "Effective state of a health check (1 healthy, 0 unhealthy), after inversion and overrides").set(to: status.effective ? 1 : 0)
            registry.makeGauge(name: "switchyard_health_check_observed_healthy", labels: labels,
                               help: "State seen by the probes (1 healthy, 0 unhealthy)").set(to: status.observed ? 1 : 0)
            registry.makeGauge(name: "switchyard_health_check_overridden", labels: labels,
                               help: "1 when an operator override is in force").set(to: status.override == nil ? 0 : 1)
            registry.makeGauge(name: "switchyard_health_check_stale", labels: labels,
                               help: "1 when the check has had no result for three intervals").set(to: status.stale ? 1 : 0)
        }
        registry.makeGauge(name: "switchyard_health_overrides_active", help: "Operator overrides in force")
            .set(to: Double(statuses.filter { $0.override != nil }.count))
        let entries = await backend.catalog.allEntries
        for entry in entries {
            let labels = [("zone", entry.origin?.description ?? entry.file)]
            registry.makeGauge(name: "switchyard_zone_records", labels: labels, help: "Records in the served version of the zone")
                .set(to: Double(entry.zone?.recordCount ?? 0))
            registry.makeGauge(name: "switchyard_zone_serial", labels: labels, help: "SOA serial of the served version")
                .set(to: Double(entry.zone?.serial ?? 0))
            registry.makeGauge(name: "switchyard_zone_load_failed", labels: labels,
                               help: "1 when the last load of the zone failed (the previous version keeps serving)")
                .set(to: entry.lastErrors.isEmpty ? 0 : 1)
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        buffer += await fleetLines(backend.monitor).utf8
        buffer += commitLines(entries).utf8
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    /// `switchyard_zone_commit_info{zone,commit} 1` for each zone served from a git commit.
    /// Written here rather than through the registry, which would keep every past commit's
    /// series at 1 after the zone moved on.
    static func commitLines(_ entries: [ZoneCatalog.Entry]) -> String {
        let served = entries.compactMap { entry in entry.commit.map { (entry.origin?.description ?? entry.file, $0) } }
        guard !served.isEmpty else { return "" }
        return "# HELP switchyard_zone_commit_info The git commit each zone's served version came from\n# TYPE switchyard_zone_commit_info gauge\n"
            + served.map { "switchyard_zone_commit_info{zone=\"\(labelValue($0.0))\",commit=\"\($0.1)\"} 1\n" }.joined()
    }

    static func labelValue(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// The fleet's gauges, written as whole numbers (`switchyard_cluster_connected 0`, as
    /// SPEC §6 shows it; the registry would print `0.0`).
    static func fleetLines(_ monitor: HealthMonitor) async -> String {
        var gauges: [(name: String, help: String, value: Int64)] = []
        if monitor.backend.cluster != nil {
            gauges.append(("switchyard_cluster_connected", "1 while the fleet's etcd cluster can be reached, 0 while answers come from the last known state",
                           await monitor.isConnected ? 1 : 0))
            gauges.append(("switchyard_fleet_instances", "Live instances of the fleet, this one included", Int64(await monitor.fleet().instances.count)))
        }
        gauges.append(("switchyard_state_revision", "Revision of the override state this instance serves", await monitor.revision))
        return gauges.map { "# HELP \($0.name) \($0.help)\n# TYPE \($0.name) gauge\n\($0.name) \($0.value)\n" }.joined()
    }
}
