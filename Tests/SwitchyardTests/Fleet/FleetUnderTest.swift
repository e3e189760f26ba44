import DNSWire
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real fleet on loopback: a 3-member etcd cluster and three `switchyard serve`
/// instances (ns1, ns2, ns3), each with its own folder, zones copy and state folder,
/// sharing the cluster. Everything is stopped by pid in `stop`.
final class FleetUnderTest: @unchecked Sendable {
    let etcd: EtcdCluster
    let folders: [TemporaryFolder]
    var instances: [SwitchyardProcess]
    let name: DomainName

    private init(etcd: EtcdCluster, folders: [TemporaryFolder], instances: [SwitchyardProcess], name: DomainName) {
        self.etcd = etcd
        self.folders = folders
        self.instances = instances
        self.name = name
    }

    /// Starts etcd, then the instances, each serving `zones[i]` (or `zones[0]`), and waits
    /// until every instance lists all of them in `/v1/fleet`.
    static func start(zones: [String], origin: String, name: DomainName, lease: Int = 3, count: Int = 3,
                      extra: (Int) -> [String] = { _ in [] }) async throws -> FleetUnderTest {
        let etcd = try await EtcdCluster.start()
        var folders: [TemporaryFolder] = []
        var instances: [SwitchyardProcess] = []
        do {
            for index in 0..<count {
                let folder = try TemporaryFolder(prefix: "fleet-ns\(index + 1)")
                folders.append(folder)
                try folder.writeZone(zones[min(index, zones.count - 1)], as: "\(origin)zone")
                instances.append(try await SwitchyardProcess.launch(
                    folder: folder, probe: (try DomainName(origin, origin: .root), .soa),
                    extraArguments: ["--cluster", etcd.clientURLs.joined(separator: ","), "--instance", "ns\(index + 1)",
                                     "--cluster-lease", "\(lease)"] + extra(index)))
            }
        } catch {
            for instance in instances { instance.stop() }
            for folder in folders { folder.remove() }
            etcd.shutdown()
            throw error
        }
        let fleet = FleetUnderTest(etcd: etcd, folders: folders, instances: instances, name: name)
        guard await fleet.waitUntilFleet(within: .seconds(15), { $0.instances.count == count }) != nil else {
            fleet.stop()
            throw ServerUnderTest.Failure.notStarted("the instances did not all appear in /v1/fleet within 15 s")
        }
        return fleet
    }

    func stop() {
        for instance in instances { instance.stop() }
        etcd.shutdown()
        for folder in folders { folder.remove() }
    }

    /// What `GET /v1/fleet` says, decoded loosely (the contract types are tested elsewhere).
    struct Fleet: Decodable {
        struct Instance: Decodable {
            var name: String
            var stateRevision: Int64
            var connected: Bool
        }
        var revision: Int64
        var inSync: Bool
        var instances: [Instance]
    }

    func fleet(_ index: Int = 0) async -> Fleet? {
        guard let reply = await AdminHTTP.get(port: instances[index].adminPort, path: "/v1/fleet"), reply.status == 200 else { return nil }
        return try? JSONDecoder().decode(Fleet.self, from: Data(reply.body.utf8))
    }

    /// Asks `/v1/fleet` of instance `index` every 100 ms until `condition` holds.
    func waitUntilFleet(_ index: Int = 0, within limit: Duration, _ condition: @escaping (Fleet) -> Bool) async -> Duration? {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < limit {
            if let fleet = await fleet(index), condition(fleet) { return ContinuousClock.now - started }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// Waits until instance 0 shows an observation of each check from every instance's
    /// vantage.
    func waitForObservations(of checks: [String], within limit: Duration) async -> Bool {
        struct Check: Decodable {
            struct Observation: Decodable { var vantage: String; var at: Date? }
            var observations: [Observation]?
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let started = ContinuousClock.now
        while ContinuousClock.now - started < limit {
            var complete = true
            for id in checks where complete {
                let reply = await AdminHTTP.get(port: instances[0].adminPort, path: "/v1/health-checks/\(id)")
                let check = reply.flatMap { try? decoder.decode(Check.self, from: Data($0.body.utf8)) }
                complete = (check?.observations ?? []).filter { $0.at != nil }.count == instances.count
            }
            if complete { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// An admin API request with a JSON body to instance `index`.
    func send(_ index: Int, _ method: String, _ path: String, json: String? = "{}") async throws -> RawHTTP.Reply {
        let port = instances[index].adminPort
        let headers = json == nil ? [] : ["Content-Type: application/json"]
        return try await RawHTTP.exchange(port: port, RawHTTP.request(method, path, host: "127.0.0.1:\(port)", headers: headers, body: json))
    }

    /// Polls every instance's answer for `name` every 2 ms on a thread of its own until each
    /// equals `expected`; returns, per instance, how long after the call it first did (nil:
    /// not within `limit`).
    func flipTimes(to expected: [String], within limit: Duration, from started: ContinuousClock.Instant = .now) async -> [Duration?] {
        let instances = self.instances
        let name = self.name
        return await onOwnThread {
            var seen: [Duration?] = Array(repeating: nil, count: instances.count)
            while ContinuousClock.now - started < limit, seen.contains(where: { $0 == nil }) {
                for (index, instance) in instances.enumerated() where seen[index] == nil {
                    if instance.addresses(name) == expected { seen[index] = ContinuousClock.now - started }
                }
                usleep(2_000)
            }
            return seen
        }
    }

    /// The Prometheus line value of `metric` on instance `index`.
    func metric(_ index: Int, _ metric: String) async -> String? {
        guard let reply = await AdminHTTP.get(port: instances[index].adminPort, path: "/metrics") else { return nil }
        return reply.body.split(separator: "\n").first { $0.hasPrefix(metric + " ") }.map { String($0.dropFirst(metric.count + 1)) }
    }
}
