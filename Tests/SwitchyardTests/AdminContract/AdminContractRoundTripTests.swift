import AdminContract
import Foundation
import Testing

/// The admin API's JSON contract, one family at a time: every key is written (an unset
/// optional as an explicit `null`, SPEC §4), and what is written reads back equal, from
/// `null` as from an absent key.
@Suite struct AdminContractRoundTripTests {
    /// Whole seconds: the wire format is ISO 8601 without fractions.
    static let at = Date(timeIntervalSince1970: 1_796_000_000)

    /// Encodes `value`, checks its keys are exactly `keys` with `nulls` among them written
    /// as null, decodes it back, and decodes it again with the null keys left out.
    static func roundTrip<T: Codable & Equatable>(_ value: T, keys: Set<String>, nulls: Set<String>,
                                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let data = try AdminJSON.encoder().encode(value)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], sourceLocation: sourceLocation)
        #expect(!object.isEmpty, sourceLocation: sourceLocation)
        #expect(Set(object.keys) == keys, "keys of \(T.self)", sourceLocation: sourceLocation)
        #expect(Set(object.filter { $0.value is NSNull }.keys) == nulls, "null keys of \(T.self)", sourceLocation: sourceLocation)
        #expect(try AdminJSON.decoder().decode(T.self, from: data) == value, sourceLocation: sourceLocation)
        let absent = try JSONSerialization.data(withJSONObject: object.filter { !($0.value is NSNull) })
        #expect(try AdminJSON.decoder().decode(T.self, from: absent) == value, "\(T.self) with absent keys", sourceLocation: sourceLocation)
    }

    static let checkKeys: Set<String> = [
        "id", "target", "region", "observed", "override", "overrideExpires", "overrideReason", "overrideBy", "effective",
        "lastCheckedAt", "lastResult", "stale", "inverted", "disabled", "interval", "threshold", "history",
        "revision", "vantages", "observations",
    ]

    static func bareCheck(_ id: String = "p") -> AdminJSON.HealthCheck {
        AdminJSON.HealthCheck(id: id, target: "http://192.0.2.1/health", region: nil, observed: "healthy", override: nil,
                              overrideExpires: nil, overrideReason: nil, overrideBy: nil, effective: "healthy", lastCheckedAt: nil,
                              lastResult: nil, stale: false, inverted: false, disabled: false, interval: 10, threshold: 3, history: nil)
    }

    static let historyEntry = AdminJSON.OverrideHistoryEntry(action: "set", at: at, state: "down", expires: at + 900, replaced: "up",
                                                              requestedBy: "ops@host (cli)", reason: "drill 42")

    @Test func healthChecksWriteEveryFieldAndUnsetOnesAsNull() throws {
        let bare = Self.bareCheck()
        try Self.roundTrip(bare, keys: Self.checkKeys, nulls: [
            "region", "override", "overrideExpires", "overrideReason", "overrideBy", "lastCheckedAt", "lastResult", "history",
            "revision", "vantages", "observations",
        ])
        var full = bare
        full.region = "us-east-1"
        full.override = "down"
        full.overrideExpires = Self.at + 900
        full.overrideReason = "drill 42"
        full.overrideBy = "ops@host (cli)"
        full.effective = "unhealthy"
        full.lastCheckedAt = Self.at
        full.lastResult = "pass: HTTP 200"
        full.history = [Self.historyEntry]
        full.revision = 41
        full.vantages = "quorum"
        full.observations = [AdminJSON.VantageObservation(vantage: "fra", healthy: true, at: Self.at, live: true),
                             AdminJSON.VantageObservation(vantage: "iad", healthy: false, at: nil, live: false)]
        try Self.roundTrip(full, keys: Self.checkKeys, nulls: [])
        try Self.roundTrip(full.observations![1], keys: ["vantage", "healthy", "at", "live"], nulls: ["at"])
        try Self.roundTrip(AdminJSON.HealthCheckList(healthChecks: [bare, full]), keys: ["healthChecks"], nulls: [])
        // Dates are ISO 8601 in UTC, as Hummingbird's encoder has always written them.
        let text = String(decoding: try AdminJSON.encoder().encode(full), as: UTF8.self)
        #expect(text.contains("\"lastCheckedAt\":\"2026-11-30T00:53:20Z\""), "\(text)")
    }

    @Test func overridesWriteEveryFieldAndUnsetOnesAsNull() throws {
        try Self.roundTrip(AdminJSON.OverrideRequest(requestedBy: "ops@host (cli)"),
                           keys: ["state", "for", "reason", "force", "requestedBy"], nulls: ["state", "for", "reason", "force"])
        try Self.roundTrip(AdminJSON.OverrideRequest(state: "down", for: "15m", reason: "drill", force: true, requestedBy: nil),
                           keys: ["state", "for", "reason", "force", "requestedBy"], nulls: ["requestedBy"])
        try Self.roundTrip(Self.historyEntry, keys: ["action", "at", "state", "expires", "replaced", "requestedBy", "reason"], nulls: [])
        try Self.roundTrip(AdminJSON.OverrideHistoryEntry(action: "clear", at: Self.at, state: nil, expires: nil, replaced: "down",
                                                          requestedBy: nil, reason: nil),
                           keys: ["action", "at", "state", "expires", "replaced", "requestedBy", "reason"],
                           nulls: ["state", "expires", "requestedBy", "reason"])
        try Self.roundTrip(AdminJSON.RegionResult(region: "us-east-1", action: "evacuate", healthChecks: [Self.bareCheck()]),
                           keys: ["region", "action", "healthChecks", "revision"], nulls: ["revision"])
        try Self.roundTrip(AdminJSON.RegionResult(region: "us-east-1", action: "restore", healthChecks: [], revision: 7),
                           keys: ["region", "action", "healthChecks", "revision"], nulls: [])
    }

    @Test func zonesAndReloadsWriteEveryFieldAndUnsetOnesAsNull() throws {
        let zoneKeys: Set<String> = ["file", "origin", "serial", "records", "loadedAt", "lastError", "errors", "commit"]
        let broken = AdminJSON.Zone(file: "zones/bad.zone", origin: nil, serial: nil, records: nil, loadedAt: nil,
                                    lastError: "bad.zone:3:1: error: no SOA", errors: ["bad.zone:3:1: error: no SOA"])
        let served = AdminJSON.Zone(file: "zones/ok.zone", origin: "ok.test.", serial: 2026120401, records: 12, loadedAt: Self.at,
                                    lastError: nil, errors: [], commit: "0123456789abcdef0123456789abcdef01234567")
        try Self.roundTrip(broken, keys: zoneKeys, nulls: ["origin", "serial", "records", "loadedAt", "commit"])
        try Self.roundTrip(served, keys: zoneKeys, nulls: ["lastError"])
        try Self.roundTrip(AdminJSON.ZoneList(zones: [broken, served]), keys: ["zones"], nulls: [])
        let outcome = AdminJSON.ReloadResult.ZoneOutcome(file: "zones/bad.zone", origin: nil, result: "failed", errors: ["no SOA"])
        try Self.roundTrip(outcome, keys: ["file", "origin", "result", "errors", "commit"], nulls: ["origin", "commit"])
        let fromCommit = AdminJSON.ReloadResult.ZoneOutcome(file: "zones/bad.zone", origin: "bad.test.", result: "failed-kept-previous",
                                                            errors: ["0123456:zones/bad.zone:3:1: error: no SOA"],
                                                            commit: "0123456789abcdef0123456789abcdef01234567")
        try Self.roundTrip(fromCommit, keys: ["file", "origin", "result", "errors", "commit"], nulls: [])
        try Self.roundTrip(AdminJSON.ReloadResult(ok: false, zones: [outcome]), keys: ["ok", "zones"], nulls: [])
    }

    @Test func explanationsWriteEveryFieldAndUnsetOnesAsNull() throws {
        let step = AdminJSON.Explanation.Step(verdict: "chosen", set: nil, detail: "the only set")
        try Self.roundTrip(step, keys: ["verdict", "set", "detail"], nulls: ["set"])
        let explanation = AdminJSON.Explanation(name: "app.drill.test.", type: "A", client: "127.0.0.1", subnet: nil, rcode: "NOERROR",
                                                authoritative: true, answer: ["app.drill.test. 60 IN A 192.0.2.1"], authority: [],
                                                additional: [], clientSubnetScope: 0, trail: [step])
        try Self.roundTrip(explanation, keys: ["name", "type", "client", "subnet", "rcode", "authoritative", "answer", "authority",
                                               "additional", "clientSubnetScope", "trail"], nulls: ["subnet"])
    }

    @Test func fleetReportsWriteEveryFieldAndUnsetOnesAsNull() throws {
        let instanceKeys: Set<String> = ["name", "vantage", "admin", "zones", "stateRevision", "connected", "updatedAt", "startedAt", "commit"]
        let version = AdminJSON.ZoneVersion(origin: "drill.test.", serial: 7, digest: "3f2a9c0d11e4b5a6")
        try Self.roundTrip(version, keys: ["origin", "serial", "digest"], nulls: [])
        let local = AdminJSON.FleetInstance(name: "ns1", vantage: "ns1", admin: nil, zones: [version], stateRevision: 0, connected: true,
                                            updatedAt: nil, startedAt: nil)
        try Self.roundTrip(local, keys: instanceKeys, nulls: ["admin", "updatedAt", "startedAt", "commit"])
        try Self.roundTrip(AdminJSON.FleetReport(cluster: nil, prefix: nil, revision: 0, inSync: true, instances: [local]),
                           keys: ["cluster", "prefix", "revision", "inSync", "instances"], nulls: ["cluster", "prefix"])
        let remote = AdminJSON.FleetInstance(name: "ns2", vantage: "fra", admin: "http://192.0.2.53:5380", zones: [], stateRevision: 12,
                                             connected: false, updatedAt: Self.at, startedAt: Self.at - 3600)
        try Self.roundTrip(AdminJSON.FleetReport(cluster: ["http://127.0.0.1:2379"], prefix: "/switchyard/", revision: 12,
                                                 inSync: false, instances: [local, remote]),
                           keys: ["cluster", "prefix", "revision", "inSync", "instances"], nulls: [])
    }

    @Test func problemsWriteEveryFieldAndUnsetOnesAsNull() throws {
        let keys: Set<String> = ["error", "field", "names", "cluster"]
        try Self.roundTrip(AdminJSON.Problem(error: "'for' must be a duration", field: "for"), keys: keys, nulls: ["names", "cluster"])
        try Self.roundTrip(AdminJSON.Problem(error: "would leave no healthy set", names: ["app.drill.test."]), keys: keys,
                           nulls: ["field", "cluster"])
        try Self.roundTrip(AdminJSON.Problem(error: "the cluster cannot be reached", cluster: ["http://127.0.0.1:2379"]), keys: keys,
                           nulls: ["field", "names"])
    }
}
