import AdminContract
import Foundation

/// Turns a stored drill and every instance's measurements into the report the API and
/// `drill report` show: moves and health changes with offsets from the start, the moment
/// every resolver cache has dropped the old answers (the latest first move + its TTL), the
/// names expected to move that no query has shown moving, and one timeline.
public enum DrillReportBuilder {
    /// `runningHere`: whether this instance answers with the drill's overrides now.
    public static func report(_ record: DrillRecord, name: String, runningHere: Bool, now: Date) -> AdminJSON.DrillReport {
        let instances = record.observations.values.sorted { $0.instance < $1.instance }
        let drill = record.drill
        let startedAt = drill?.startedAt ?? instances.compactMap(\.appliedAt).min() ?? now
        func offset(_ date: Date) -> Double { (date.timeIntervalSince(startedAt) * 1000).rounded() / 1000 }

        let applied = instances.compactMap { o in o.appliedAt.map { AdminJSON.DrillApplied(instance: o.instance, at: $0, offset: offset($0)) } }
            .sorted { ($0.at, $0.instance) < ($1.at, $1.instance) }
        var moves: [AdminJSON.DrillMove] = []
        for o in instances {
            for (key, move) in o.moves {
                let (name, type) = split(key)
                let dropped = move.at.addingTimeInterval(TimeInterval(move.ttl))
                moves.append(.init(name: name, type: type, instance: o.instance, at: move.at, offset: offset(move.at), from: move.from,
                                   to: move.to, ttl: Int(move.ttl), cacheDroppedAt: dropped, cacheDroppedOffset: offset(dropped)))
            }
        }
        moves.sort { ($0.at, $0.name, $0.type, $0.instance) < ($1.at, $1.name, $1.type, $1.instance) }
        let healthChanges = instances.flatMap { o in
            o.healthChanges.map { AdminJSON.DrillHealthChange(at: $0.at, offset: offset($0.at), check: $0.check, change: $0.change, instance: o.instance) }
        }.sorted { ($0.at, $0.check, $0.instance) < ($1.at, $1.check, $1.instance) }
        let moved = Set(moves.map { "\($0.name) \($0.type)" })
        let notSeen = (drill?.affectedNames ?? []).filter { affected in
            let (name, type) = split(affected)
            return type == "ALIAS" ? !moved.contains("\(name) A") && !moved.contains("\(name) AAAA") : !moved.contains(affected)
        }
        let cacheDropped = moves.map(\.cacheDroppedAt).max()

        let (state, endedAt) = ending(drill, instances: instances, runningHere: runningHere, now: now)
        var timeline: [AdminJSON.DrillEvent] = []
        let regions = drill?.regions.joined(separator: ", ") ?? "?"
        timeline.append(.init(at: startedAt, offset: 0, kind: "start",
                              text: "drill \(name) started: evacuate \(regions)\(drill?.reason.map { " (\($0))" } ?? "")"))
        for a in applied { timeline.append(.init(at: a.at, offset: a.offset, kind: "applied", text: "\(a.instance) answers with the drill's overrides")) }
        for m in moves {
            timeline.append(.init(at: m.at, offset: m.offset, kind: "moved",
                                  text: "\(m.name) \(m.type) first answered from \(m.to) instead of \(m.from) on \(m.instance) (TTL \(m.ttl) s)"))
        }
        for h in healthChanges { timeline.append(.init(at: h.at, offset: h.offset, kind: "health", text: "\(h.check) \(h.change) (\(h.instance))")) }
        if let cacheDropped {
            timeline.append(.init(at: cacheDropped, offset: offset(cacheDropped), kind: "cache-dropped",
                                  text: "every resolver cache has dropped the answers from before the drill"))
        }
        if let endedAt {
            timeline.append(.init(at: endedAt, offset: offset(endedAt), kind: state == "stopped" ? "stop" : "expired",
                                  text: state == "stopped" ? "drill stopped: overrides cleared" : "drill ended: its overrides no longer apply"))
        }
        timeline.sort { $0.at != $1.at ? $0.at < $1.at : order($0.kind) < order($1.kind) }

        return AdminJSON.DrillReport(
            name: name, regions: drill?.regions ?? [], checks: drill?.checks ?? [], reason: drill?.reason, requestedBy: drill?.requestedBy,
            state: state, startedAt: startedAt, endsAt: drill?.endsAt, endedAt: endedAt, revision: drill?.revision, applied: applied,
            moves: moves, notSeenMoving: notSeen, healthChanges: healthChanges, cacheDroppedAt: cacheDropped,
            cacheDroppedOffset: cacheDropped.map(offset), timeline: timeline)
    }

    /// "running", "stopped", "expired" (its time box ran out) or "ended" (its overrides
    /// were cleared some other way), and when it ended.
    static func ending(_ drill: Drill?, instances: [DrillObservations], runningHere: Bool, now: Date) -> (String, Date?) {
        if let stopped = drill?.stoppedAt { return ("stopped", stopped) }
        if let ends = drill?.endsAt, ends <= now { return ("expired", ends) }
        if runningHere { return ("running", nil) }
        if let cleared = instances.compactMap(\.clearedAt).min() { return ("ended", cleared) }
        return ("running", nil)
    }

    static func split(_ key: String) -> (String, String) {
        guard let space = key.lastIndex(of: " ") else { return (key, "") }
        return (String(key[..<space]), String(key[key.index(after: space)...]))
    }

    static func order(_ kind: String) -> Int {
        ["start", "applied", "health", "moved", "cache-dropped", "stop", "expired"].firstIndex(of: kind) ?? 9
    }
}
