import AdminContract
import Foundation

/// The readable form of a drill report.
enum DrillOutput {
    static func printJSON(_ report: AdminJSON.DrillReport) throws {
        let encoder = AdminJSON.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func seconds(_ offset: Double) -> String { String(format: "%+8.3f s", offset) }

    static func table(_ r: AdminJSON.DrillReport) -> String {
        var out = "Drill \(r.name): \(r.state)\n"
        out += "  evacuated   \(r.regions.joined(separator: ", ")) (\(r.checks.joined(separator: ", ")))\n"
        if let reason = r.reason { out += "  reason      \(reason)\n" }
        out += "  started     \(time(r.startedAt))\(r.requestedBy.map { " by \($0)" } ?? "")\(r.revision.map { " (revision \($0))" } ?? "")\n"
        if let ends = r.endsAt { out += "  time box    until \(time(ends))\n" }
        // Dates travel in whole seconds; offsets to the millisecond.
        if let ended = r.endedAt {
            let offset = r.timeline.last { $0.kind == "stop" || $0.kind == "expired" }?.offset
            out += "  ended       \(time(ended))\(offset.map { " (\(seconds($0).trimmingCharacters(in: .whitespaces)))" } ?? "")\n"
        }
        out += "\nApplied (answers with the drill's overrides)\n"
        if r.applied.isEmpty { out += "  (no instance yet)\n" }
        for a in r.applied { out += "  \(seconds(a.offset))  \(a.instance)\n" }
        out += "\nFirst moved answer per routed name\n"
        if r.moves.isEmpty { out += "  (no query has shown a moved answer yet)\n" }
        let width = r.moves.map { $0.name.count + $0.type.count + 1 }.max() ?? 0
        for m in r.moves {
            let label = "\(m.name) \(m.type)".padding(toLength: width, withPad: " ", startingAt: 0)
            let clear = seconds(m.cacheDroppedOffset).trimmingCharacters(in: .whitespaces)
            out += "  \(seconds(m.offset))  \(label)  \(m.from) -> \(m.to)  on \(m.instance); caches clear by \(clear) (TTL \(m.ttl) s)\n"
        }
        if !r.notSeenMoving.isEmpty { out += "  not seen moving (no query yet): \(r.notSeenMoving.joined(separator: ", "))\n" }
        if let dropped = r.cacheDroppedOffset {
            out += "\nEvery resolver cache has dropped the old answers by \(seconds(dropped).trimmingCharacters(in: .whitespaces))"
            out += r.cacheDroppedAt.map { " (\(time($0)))\n" } ?? "\n"
        }
        out += "\nHealth changes\n"
        if r.healthChanges.isEmpty { out += "  (none)\n" }
        for h in r.healthChanges { out += "  \(seconds(h.offset))  \(h.check) \(h.change) (\(h.instance))\n" }
        out += "\nTimeline\n"
        for e in r.timeline { out += "  \(seconds(e.offset))  \(e.kind.padding(toLength: 13, withPad: " ", startingAt: 0)) \(e.text)\n" }
        return out
    }
}
