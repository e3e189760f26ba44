import Foundation
import Authority
import DNSSEC
import DNSWire
import NIOCore
import Routing
import Zones
import ZoneTransfer

/// What every query thread shares: the answering configuration and the snapshot stores,
/// all immutable or atomic, so it needs no lock. Each UDP worker and TCP connection
/// answers through its own `QueryResponder`, which owns the mutable state.
public final class QueryEngine: Sendable {
    public let authority: Authority
    public let zones: ZoneStore
    public let health: any HealthSource
    /// Write one line per query (`--query-log`).
    public let queryLog: Bool
    /// Response rate limiting for UDP (`--rate-limit`); nil when off.
    public let rateLimiter: ResponseRateLimiter?
    /// Takes the routed-answer counts and drill moves each handler hands over.
    public let observer: (any AnswerObserver)?
    /// The zones signed online (`--dnssec-keys`); nil when none is.
    public let zoneKeys: ZoneKeys?
    /// Signatures each query thread keeps (`--dnssec-cache`).
    public let signatureCacheSize: Int
    /// Signatures made ahead for the signed zones' listable answers (see `PresignedAnswers`);
    /// nil when no zone is signed. Whoever reloads zones refreshes it.
    public let presigned: PresignedAnswersStore?

    /// Answers AXFR and IXFR (`--allow-transfer`); nil refuses every transfer.
    public let transfers: ZoneTransferService?

    public init(authority: Authority, zones: ZoneStore, health: any HealthSource = StaticHealthSource(), queryLog: Bool = false,
                rateLimiter: ResponseRateLimiter? = nil, observer: (any AnswerObserver)? = nil,
                zoneKeys: ZoneKeys? = nil, signatureCacheSize: Int = 20_000, transfers: ZoneTransferService? = nil) {
        self.zoneKeys = zoneKeys.flatMap { $0.isEmpty ? nil : $0 }
        self.signatureCacheSize = signatureCacheSize
        self.presigned = self.zoneKeys == nil ? nil : PresignedAnswersStore(.empty)
        self.authority = authority
        self.zones = zones
        self.health = health
        self.queryLog = queryLog
        self.rateLimiter = rateLimiter
        self.observer = observer
        self.transfers = transfers
    }
}

/// How a query arrived.
public enum Transport: String, Sendable {
    case udp
    case tcp
}

/// One query thread's copy of the current snapshots: re-read from the stores only when
/// their generation moves, so the query path does one atomic load per store per query.
public struct SnapshotCache {
    var zonesGeneration: UInt64 = .max
    var healthGeneration: UInt64 = .max
    var snapshot: Authority.Snapshot?
    /// While a drill is in progress: its name, the snapshot without its overrides, and the
    /// groups worth answering again (see `DrillWatch`).
    var drill: DrillWatch?

    public init() {}

    public mutating func snapshot(zones: ZoneStore, health: any HealthSource) -> Authority.Snapshot {
        let zg = zones.generation
        let hg = health.generation
        if zg != zonesGeneration || hg != healthGeneration || snapshot == nil {
            let zoneSet = zones.current
            snapshot = Authority.Snapshot(zones: zoneSet, health: health.currentView)
            drill = health.currentDrill.map { DrillWatch($0, current: snapshot!) }
            zonesGeneration = zg
            healthGeneration = hg
        }
        return snapshot!
    }

    /// Lets go of the snapshot when the zones changed since it was taken, so a thread
    /// that gets no query does not keep a replaced zone set (and its memory) alive; the
    /// next query takes the new one.
    public mutating func dropIfStale(zones: ZoneStore) {
        if snapshot != nil && zones.generation != zonesGeneration {
            snapshot = nil
            drill = nil
        }
    }
}

/// What one query thread watches while a drill is in progress: the snapshot without the
/// drill's overrides, and the groups whose answers the drill can move — those with a set
/// whose health differs, and those with an ALIAS set (whose target's answer may move
/// without a set of their own changing health). Worked out when the health changes, not
/// per query.
struct DrillWatch {
    let name: String
    let snapshot: Authority.Snapshot
    let groups: Set<ObjectIdentifier>

    init(_ baseline: DrillBaseline, current: Authority.Snapshot) {
        name = baseline.drill
        snapshot = Authority.Snapshot(zones: current.zones, health: baseline.health)
        groups = Set(HealthImpact.groupsADrillCanMove(before: snapshot, after: current).map(ObjectIdentifier.init))
    }

    @inline(__always)
    func watches(_ group: RoutedGroup) -> Bool { groups.contains(ObjectIdentifier(group)) }
}
