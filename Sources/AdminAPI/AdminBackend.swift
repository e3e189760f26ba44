import Authority
import Drills
import HealthChecks
import Prometheus
import Routing
import Zones

/// What the admin API acts on: the answer engine, the zone catalog, the health monitor
/// and the metrics registry, plus the reload procedure (which also updates the checks).
public struct AdminBackend: Sendable {
    public var authority: Authority
    public var zones: ZoneStore
    public var catalog: ZoneCatalog
    public var monitor: HealthMonitor
    public var health: HealthStore
    public var registry: PrometheusCollectorRegistry
    public var reload: @Sendable () async -> [ZoneCatalog.ZoneResult]
    /// Serves another commit (`POST /v1/deploy`); nil when zones come from folders.
    public var deploy: DeployAction?
    /// Drills (SPEC §8); nil in tests that do not need them.
    public var drills: DrillControl?
    /// Answers per routed set over the last minutes, for the status page.
    public var answerHistory: AnswerShareHistory?
    /// The client population and turns of `POST /v1/whatif`.
    public var whatIf = WhatIfService()

    public init(authority: Authority, zones: ZoneStore, catalog: ZoneCatalog, monitor: HealthMonitor, health: HealthStore,
                registry: PrometheusCollectorRegistry, reload: @escaping @Sendable () async -> [ZoneCatalog.ZoneResult]) {
        self.authority = authority
        self.zones = zones
        self.catalog = catalog
        self.monitor = monitor
        self.health = health
        self.registry = registry
        self.reload = reload
        monitor.setSafetyRule(OverrideActions.safetyRule(zones: zones))
    }
}
