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
        let monitor = backend.monitor
        if monitor.backend.cluster != nil {
            registry.makeGauge(name: "switchyard_cluster_connected", help: "1 while the fleet's etcd cluster can be reached, 0 when answers come from the last known state")
                .set(to: await monitor.isConnected ? 1 : 0)
            registry.makeGauge(name: "switchyard_fleet_instances", help: "Live instances of the fleet, this one included")
                .set(to: Double(await monitor.fleet().instances.count))
        }
        registry.makeGauge(name: "switchyard_state_revision", help: "Revision of the override state this instance serves")
            .set(to: Double(await monitor.revision))
        for entry in await backend.catalog.allEntries {
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
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
