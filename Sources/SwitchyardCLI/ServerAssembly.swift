import AdminAPI
import ArgumentParser
import Authority
import DNSSEC
import DNSServer
import DNSWire
import Drills
import FleetState
import Foundation
import HealthChecks
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import Routing
import ServiceLifecycle
import UnixSignals
import Zones
import ZoneSources
import ZoneTransfer

/// Puts `serve` together: zones, health checks, the DNS server, the admin API, reload
/// triggers, all in one `ServiceGroup` that SIGTERM and SIGINT shut down gracefully.
struct ServerAssembly {
    let command: ServeCommand
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        // Everything that can be refused is refused before anything is bound.
        let adminAddress = command.admin == "off" ? nil : try ListenAddress.parse(command.admin)
        let token = try command.adminTokenFile.map(readToken)
        if let adminAddress {
            do { try AdminServer.validate(host: adminAddress.host, token: token) } catch {
                logger.critical("\(error)")
                throw ExitCode(1)
            }
        }
        let zoneKeys: ZoneKeys?
        do {
            zoneKeys = try command.dnssecKeys.map { folder in
                ZoneKeys(try KeyFile.readFolder(folder), signaturesPerSecond: command.dnssecSignatureRate)
            }
        } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
        // Zones and key tags only: key material is never logged.
        if let zoneKeys { logger.info("DNSSEC: signing \(zoneKeys.zones.map(\.presentation).joined(separator: ", "))") }
        let tsigKey: TSIGKey?
        do { tsigKey = try command.transfer.key() } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
        let locator = try ClientLocatorLoader.load(geoip: command.geoip, geoNetworks: command.geoNetworks,
                                                   latencyTable: command.latencyTable, logger: logger)

        let store = ZoneStore(ZoneSet.empty)
        let catalog = ZoneCatalog(store: store)
        let source: any ZoneSource
        do { source = try command.zoneSource.source() } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
        let reloader = ZoneReloader(catalog: catalog, source: source, limits: command.zoneLimits.limits, logger: logger)
        let initialCommit = await reloader.loadInitial().first?.commit
        guard !store.current.zones.isEmpty else {
            logger.critical("no zone could be loaded from \(command.zoneSource.description)")
            throw ExitCode(1)
        }

        let descriptors = DescriptorLimit.raiseSoftToHard()
        let threadCount = command.threads ?? System.coreCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threadCount)
        let health = HealthStore()
        let prober = NetworkProber(group: group)
        let stateBackend: any HealthStateBackend
        if let endpoints = command.fleet.endpoints {
            stateBackend = EtcdStateBackend(endpoints: endpoints, prefix: command.fleet.clusterPrefix,
                                            instance: command.fleet.instanceName, vantage: command.fleet.vantageName,
                                            stateDirectory: command.stateDir, leaseTTL: Int64(command.fleet.clusterLease), logger: logger)
        } else {
            stateBackend = LocalStateBackend(store: OverrideStore(directory: command.stateDir))
        }
        let monitor = HealthMonitor(store: health, backend: stateBackend, prober: prober, logger: logger,
                                    instance: command.fleet.instanceName, vantage: command.fleet.vantageName)
        do {
            try await monitor.restoreOverrides()
        } catch {
            logger.critical("cannot read the state folder: \(error)")
            await stateBackend.shutdown()
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        await monitor.update(Array(store.current.healthChecks.values))
        let versions = ZoneVersions(store: store, withDigests: command.fleet.endpoints != nil)
        let adminText = command.admin == "off" ? nil : command.admin
        let report: @Sendable () -> Void = {
            // Digests walk every record: worked out away from the reload and the answers.
            versions.publish { generation, zones in
                let commit = ZoneVersions.servedCommit(await catalog.allEntries)
                await monitor.setReportDetails(zones: zones, admin: adminText, generation: generation, commit: commit)
            }
        }
        report()

        let transfers = command.transfer.allowed.isEmpty && command.transfer.notify.isEmpty ? nil
            : ZoneTransferService(allowed: command.transfer.allowed, key: tsigKey,
                                  history: TransferHistory(maximumChanges: command.transfer.ixfrHistory),
                                  signedOnline: Set(zoneKeys?.zones ?? []))
        let notifier = command.transfer.notify.isEmpty ? nil
            : NotifySender(targets: command.transfer.notifyTargets, key: tsigKey, group: group, logger: logger)
        // Every path that publishes a zone set (start, SIGHUP, the admin reload, --watch, a
        // deploy) comes through here: the IXFR history takes the change, then the secondaries hear of it.
        let published: @Sendable () -> Void = {
            guard let transfers else { return }
            let changed = transfers.publish(store.current)
            notifier?.notify(changed)
        }
        published()

        await reloader.whenSwapped {
            await monitor.update(Array(store.current.healthChecks.values))
            report()
            published()
        }
        let reload: @Sendable () async -> [ZoneCatalog.ZoneResult] = { await reloader.reload() }
        let deploy = Deployment.action(source: source, reloader: reloader, fleet: stateBackend as? EtcdStateBackend, logger: logger)

        let drillStore: any DrillStore = (stateBackend as? EtcdStateBackend).map { EtcdDrillStore(backend: $0) }
            ?? LocalDrillStore(store: OverrideStore(directory: command.stateDir))
        let recorder = DrillRecorder(instance: command.fleet.instanceName, store: drillStore, logger: logger)
        do { try await recorder.restore() } catch {
            // Past drills' measurements are not worth refusing to serve for; new ones are kept.
            logger.error("cannot read saved drills: \(error)")
        }
        _ = await monitor.addListener { snapshot in recorder.healthPublished(snapshot, at: Date()) }
        _ = monitor.addObservedListener { change in recorder.observed(change) }
        recorder.healthPublished(health.current, at: Date())
        let answerHistory = AnswerShareHistory()
        let drills = DrillControl(monitor: monitor, store: drillStore, recorder: recorder, affectedNames: { before, after in
            HealthImpact.namesWithChangedSets(zones: store.current, before: HealthSnapshot(effective: before),
                                              after: HealthSnapshot(effective: after))
        })

        let authority = Authority(locator: locator)
        let rateLimiter = command.rateLimit > 0
            ? ResponseRateLimiter(responsesPerSecond: command.rateLimit, slip: command.rateLimitSlip) : nil
        let engine = QueryEngine(authority: authority, zones: store, health: health, queryLog: command.queryLog,
                                 rateLimiter: rateLimiter, observer: RoutedAnswerLog(history: answerHistory, recorder: recorder),
                                 zoneKeys: zoneKeys, signatureCacheSize: command.dnssecCache, transfers: transfers)
        let presigning = PresigningLoop.start(engine: engine, logger: logger)
        var configuration = DNSServer.Configuration(listen: try command.listen.map(ListenAddress.parse))
        configuration.udpSocketsPerAddress = threadCount
        configuration.tcpIdleTimeout = .seconds(Int64(TimeValue.parse(command.tcpTimeout) ?? 10))
        configuration.maxTCPConnections = command.tcpMaxConnections
        configuration.maxTCPConnectionsPerClient = command.tcpMaxPerClient
        let server = DNSServer(configuration: configuration, engine: engine, group: group, logger: logger)
        do {
            try await server.start()
        } catch {
            logger.critical("\(error)")
            await stateBackend.shutdown()
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: server),
            .init(service: HealthMonitorService(start: { await monitor.start() }, stop: {
                await monitor.stop()
                await stateBackend.shutdown()
            })),
            .init(service: SignalReloader(signals: hangups, reload: { _ = await reload() }, logger: logger)),
            .init(service: DrillRecorderService(recorder: recorder)),
        ]
        if let presigning { services.append(.init(service: presigning)) }
        if let adminAddress {
            var backend = AdminBackend(authority: authority, zones: store, catalog: catalog, monitor: monitor, health: health,
                                       registry: registry, reload: reload)
            backend.deploy = deploy
            backend.drills = drills
            backend.answerHistory = answerHistory
            backend.whatIf = WhatIfService(population: WhatIfPopulation.standard(locator: locator, geoip: command.geoip, logger: logger))
            services.append(.init(service: AdminServer.application(backend: backend, host: adminAddress.host, port: adminAddress.port,
                                                                   token: token, logger: logger, limits: command.adminLimits)))
        }
        if command.watch {
            if let git = source as? GitZoneSource {
                services.append(.init(service: GitRefWatcher(source: git, loaded: initialCommit, reload: { _ = await reload() }, logger: logger)))
            } else {
                services.append(.init(service: ZoneFolderWatcher(catalog: catalog, paths: command.zoneSource.paths,
                                                                 reload: { _ = await reload() }, logger: logger)))
            }
        }
        logger.info("open-file limit \(descriptors); TCP: at most \(server.admission.total) connections, \(server.admission.perClient) per client, \(command.tcpTimeout) per message; rate limit \(command.rateLimit > 0 ? "\(command.rateLimit)/s per /24 and /56, slip \(command.rateLimitSlip)" : "off")")
        let commits = ServerAssembly.commitSummary(source, await catalog.allEntries)
        // Not kept in a local: this function runs as long as the server, and the first
        // zone set would stay in memory after every reload.
        logger.info("\(ServerAssembly.servingSummary(store.current)); DNS on \(command.listen.joined(separator: ", ")) (UDP and TCP), admin API on \(command.admin), \(threadCount) thread(s)\(commits)")
        let serviceGroup = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await serviceGroup.run()
        } catch let error as IOError {
            // The DNS sockets are bound before the group runs: a bind failing now is the admin API's.
            logger.critical("cannot serve the admin API on \(command.admin): \(error)")
            await stateBackend.shutdown()
            await prober.shutdown()
            try? await group.shutdownGracefully()
            throw ExitCode(1)
        }
        await prober.shutdown()
        try await group.shutdownGracefully()
    }

    func readToken(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            logger.critical("\(path): cannot read the admin token (the file must hold the token)")
            throw ExitCode(1)
        }
        return text
    }

    /// `; from git REPO REF at commit C` for the startup summary (every commit when zones
    /// came from different ones).
    static func commitSummary(_ source: any ZoneSource, _ entries: [ZoneCatalog.Entry]) -> String {
        guard let git = source as? GitZoneSource else { return "" }
        let commits = Set(entries.compactMap(\.commit)).sorted()
        return "; zones from git \(git.repository) \(git.ref) at commit \(commits.joined(separator: ", "))"
    }

    /// "serving N zone(s) (origins), R records, C health check(s)".
    static func servingSummary(_ zoneSet: ZoneSet) -> String {
        "serving \(zoneSet.zones.count) zone(s) (\(zoneSet.zones.map(\.origin.description).joined(separator: ", "))), \(zoneSet.recordCount) records, \(zoneSet.healthChecks.count) health check(s)"
    }
}
