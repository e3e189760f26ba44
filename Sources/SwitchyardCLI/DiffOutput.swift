import Authority
import Foundation

/// The two forms of `switchyard diff` output.
enum DiffOutput {
    /// One line per change: NAME TYPE CLIENTS OLD → NEW, then the record changes that
    /// reach no client, then a summary.
    static func table(_ report: AnswerDiffReport, clients: [ClientNetwork]) -> String {
        var rows: [[String]] = [["NAME", "TYPE", "CLIENTS", "OLD → NEW"]]
        for change in report.changes {
            let who = change.clients.count == clients.count && clients.count > 1 ? "all \(clients.count) clients" : change.clients.joined(separator: ", ")
            rows.append([change.name, change.type, who, "\(describe(change.old)) → \(describe(change.new))"])
        }
        var out = ""
        if report.changes.isEmpty {
            out += "No answer changes for \(clients.count == 1 ? "the one client network" : "any of \(clients.count) client networks").\n"
        } else {
            let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                out += (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                out += "  " + row[3] + "\n"
            }
        }
        if !report.unreachedChanges.isEmpty {
            out += "\nRecord changes that change no client network's answer:\n"
            for change in report.unreachedChanges {
                for line in change.removed { out += "- \(line)\n" }
                for line in change.added { out += "+ \(line)\n" }
            }
        }
        out += "\n\(report.changes.count) answer change(s), \(report.unreachedChanges.count) record change(s) reaching no client; "
        out += "answers computed with every health check healthy.\n"
        return out
    }

    /// "192.0.2.1 (ttl 60)", or "90% A | 10% B" when the answer is drawn at random.
    static func describe(_ distribution: AnswerDistribution) -> String {
        if distribution.outcomes.count == 1 && distribution.outcomes[0].permille == 1000 { return distribution.outcomes[0].answer }
        return distribution.outcomes.map { "\($0.shareText) \($0.answer)" }.joined(separator: " | ")
    }

    /// The JSON form, documented in the README: `old`, `new`, `health`, `clients`
    /// [{name, prefix?}], `changes` [{name, type, clients, old, new}] with old and new
    /// lists of {answer, share} (share a percentage, one decimal), and
    /// `unreachedChanges` [{name, type, removed, added}].
    static func json(_ report: AnswerDiffReport, old: String, new: String, clients: [ClientNetwork]) throws -> String {
        struct Share: Encodable {
            var answer: String
            var share: Double
        }
        struct Change: Encodable {
            var name: String
            var type: String
            var clients: [String]
            var old: [Share]
            var new: [Share]
        }
        struct Document: Encodable {
            var old: String
            var new: String
            var health = "all-healthy"
            var clients: [ClientNetwork]
            var changes: [Change]
            var unreachedChanges: [RecordChange]
        }
        func shares(_ distribution: AnswerDistribution) -> [Share] {
            distribution.outcomes.map { Share(answer: $0.answer, share: Double($0.permille) / 10) }
        }
        let document = Document(old: old, new: new, clients: clients, changes: report.changes.map {
            Change(name: $0.name, type: $0.type, clients: $0.clients, old: shares($0.old), new: shares($0.new))
        }, unreachedChanges: report.unreachedChanges)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
