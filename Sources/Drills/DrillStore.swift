import Foundation
import HealthChecks
import Synchronization

/// Where drills and their measurements are kept: the state folder for one server, etcd
/// for a fleet (`FleetState`), so every instance's measurements meet in one report.
public protocol DrillStore: Sendable {
    /// Every drill kept, by name.
    func loadAll() async throws -> [String: DrillRecord]
    func save(_ drill: Drill) async throws
    func save(_ observations: DrillObservations, of drill: String) async throws
}

/// The drills of one server in `--state-dir/drills.json`, replaced atomically on every
/// save; the newest `limit` drills are kept.
public final class LocalDrillStore: DrillStore {
    let store: OverrideStore?
    let limit: Int
    /// The drills as last read or saved; every change is read, modified and written
    /// under the lock, so the recorder and the API cannot lose each other's saves.
    let records = Mutex<[String: DrillRecord]?>(nil)

    public var path: String? { store.map { $0.directory + "/drills.json" } }

    /// `store` nil keeps drills in memory only (no state folder).
    public init(store: OverrideStore?, limit: Int = 20) {
        self.store = store
        self.limit = max(1, limit)
    }

    struct File: Codable {
        var version: Int
        var drills: [String: DrillRecord]
    }

    /// Reads the saved drills once; a file that exists but cannot be read is an error
    /// naming it (drills are never silently forgotten).
    public func loadAll() async throws -> [String: DrillRecord] {
        try records.withLock { cached in try loaded(&cached) }
    }

    public func save(_ drill: Drill) async throws {
        try change { $0[drill.name, default: DrillRecord(drill: nil)].drill = drill }
    }

    public func save(_ observations: DrillObservations, of drill: String) async throws {
        try change { $0[drill, default: DrillRecord(drill: nil)].observations[observations.instance] = observations }
    }

    func change(_ body: (inout [String: DrillRecord]) -> Void) throws {
        try records.withLock { cached in
            var all = try loaded(&cached)
            body(&all)
            if all.count > limit {
                let newest = Set(all.sorted { DrillRecord.startOrder($0.value, $1.value) }.prefix(limit).map(\.key))
                all = all.filter { newest.contains($0.key) }
            }
            if let store, let path {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                try store.replaceDurably(path, with: try encoder.encode(File(version: 1, drills: all)))
            }
            cached = all
        }
    }

    func loaded(_ cached: inout [String: DrillRecord]?) throws -> [String: DrillRecord] {
        if let cached { return cached }
        var result: [String: DrillRecord] = [:]
        if let path, FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OverrideStore.StateError(path: path, message: "cannot read saved drills")
            }
            let file: File
            do { file = try JSONDecoder().decode(File.self, from: data) } catch {
                throw OverrideStore.StateError(path: path, message: "saved drills are not valid: \(error)")
            }
            guard file.version == 1 else { throw OverrideStore.StateError(path: path, message: "unknown format version \(file.version)") }
            result = file.drills
        }
        cached = result
        return result
    }
}

extension DrillRecord {
    /// When it started (or was first applied somewhere), for ordering.
    public var startedAt: Date {
        drill?.startedAt ?? observations.values.compactMap(\.appliedAt).min() ?? .distantPast
    }

    /// Newest first.
    static func startOrder(_ a: DrillRecord, _ b: DrillRecord) -> Bool { a.startedAt > b.startedAt }
}
