import Drills
import Etcd
import Foundation

/// The fleet's drills in etcd, beside its state (under `--cluster-prefix`):
///
///     drills/<name>/drill                 the drill as started (and stopped)
///     drills/<name>/instances/<instance>  what that instance measured of it
///
/// Every instance writes only its own measurements, so no write races another; any
/// instance reads them all for a report. The newest `limit` drills are kept.
public final class EtcdDrillStore: DrillStore {
    let client: EtcdClient
    let prefix: String
    let limit: Int

    public init(backend: EtcdStateBackend, limit: Int = 20) {
        self.client = backend.client
        self.prefix = backend.keys.prefix + "drills/"
        self.limit = max(1, limit)
    }

    public func loadAll() async throws -> [String: DrillRecord] {
        let result = try await client.range(prefix, prefix: true)
        var drills: [String: DrillRecord] = [:]
        let decoder = JSONDecoder()
        for kv in result.kvs {
            let parts = kv.key.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, Drill.isValidName(parts[0]) else { continue }
            // A value this version cannot read is skipped, not fatal: a newer instance may
            // have written it.
            if parts.count == 2, parts[1] == "drill", let drill = try? decoder.decode(Drill.self, from: Data(kv.value)) {
                drills[parts[0], default: DrillRecord(drill: nil)].drill = drill
            } else if parts.count == 3, parts[1] == "instances",
                      let observations = try? decoder.decode(DrillObservations.self, from: Data(kv.value)) {
                drills[parts[0], default: DrillRecord(drill: nil)].observations[parts[2]] = observations
            }
        }
        return drills
    }

    public func save(_ drill: Drill) async throws {
        try await client.put(prefix + drill.name + "/drill", value: Array(try JSONEncoder().encode(drill)))
        let all = try await loadAll()
        guard all.count > limit else { return }
        for (name, _) in all.sorted(by: { $0.value.startedAt > $1.value.startedAt }).dropFirst(limit) {
            _ = try await client.delete(prefix + name + "/", prefix: true)
        }
    }

    public func save(_ observations: DrillObservations, of drill: String) async throws {
        try await client.put(prefix + drill + "/instances/" + observations.instance, value: Array(try JSONEncoder().encode(observations)))
    }
}
