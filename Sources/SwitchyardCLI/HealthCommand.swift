import AdminContract
import ArgumentParser
import Foundation

/// `switchyard health`: see and override health checks of the running server.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Show health checks, or override them for a drill.",
        discussion: """
            Examples:
              switchyard health
              switchyard health down use1 --for 15m --reason "drill 42"
              switchyard health up use1
              switchyard health auto use1
            """,
        subcommands: [List.self, Down.self, Up.self, Auto.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Table of every check: id, target, region, observed, override and expiry, effective state, last result.",
            discussion: "Example: switchyard health list --json")
        @OptionGroup var options: ClientOptions
        @Flag(name: .long, help: "Print the admin API's JSON instead of a table.") var json = false

        func run() async throws {
            let client = try options.client()
            if json {
                print(try await client.raw("/v1/health-checks"))
                return
            }
            let list: AdminJSON.HealthCheckList = try await client.get("/v1/health-checks")
            print(HealthTable.render(list.healthChecks))
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Override a check to unhealthy (answers move at once).",
            discussion: "Example: switchyard health down use1 --for 15m --reason \"drill 42\"")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Health check id.") var id: String
        @Option(name: .customLong("for"), help: "Expire after this long (e.g. 15m, 1h30m).") var duration: String?
        @Option(name: .long, help: "Why (kept in the override history).") var reason: String?
        @Flag(name: .long, help: "Do it even when a routed name is left with no healthy record set.") var force = false

        func run() async throws {
            try await OverrideCommand.set(id: id, state: "down", duration: duration, reason: reason, force: force, options: options)
        }
    }

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Override a check to healthy.",
            discussion: "Example: switchyard health up use1 --for 10m")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Health check id.") var id: String
        @Option(name: .customLong("for"), help: "Expire after this long (e.g. 15m).") var duration: String?
        @Option(name: .long, help: "Why (kept in the override history).") var reason: String?

        func run() async throws {
            try await OverrideCommand.set(id: id, state: "up", duration: duration, reason: reason, force: false, options: options)
        }
    }

    struct Auto: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear the override: back to the observed state.",
            discussion: "Example: switchyard health auto use1")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Health check id.") var id: String

        func run() async throws {
            let check: AdminJSON.HealthCheck = try await options.client().send(.DELETE, "/v1/health-checks/\(OverrideCommand.escape(id))/override")
            print("\(id): override cleared, now \(check.effective)\(check.revision.map { " (revision \($0))" } ?? "")")
        }
    }
}

enum OverrideCommand {
    static func set(id: String, state: String, duration: String?, reason: String?, force: Bool, options: ClientOptions) async throws {
        let body = AdminJSON.OverrideRequest(state: state, for: duration, reason: reason, force: force, requestedBy: Requester.current)
        let check: AdminJSON.HealthCheck = try await options.client().send(.PUT, "/v1/health-checks/\(escape(id))/override", body: body)
        print("\(id): overridden \(state)\(check.overrideExpires.map { " until \(AdminTime.text($0))" } ?? ""), now \(check.effective)\(check.revision.map { " (revision \($0))" } ?? "")")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }
}

/// The `health list` table.
enum HealthTable {
    static func render(_ checks: [AdminJSON.HealthCheck]) -> String {
        let header = ["ID", "TARGET", "REGION", "OBSERVED", "OVERRIDE", "EFFECTIVE", "LAST RESULT"]
        var rows: [[String]] = [header]
        for check in checks {
            var override = check.override ?? "-"
            if let expires = check.overrideExpires { override += " until \(AdminTime.text(expires))" }
            if let reason = check.overrideReason { override += " (\(reason))" }
            var last = check.lastResult ?? "none yet"
            if let at = check.lastCheckedAt { last += " at \(AdminTime.text(at))" }
            if check.stale { last += " [stale]" }
            rows.append([check.id, check.target, check.region ?? "-", observed(check), override, check.effective, last])
        }
        return TextTable.render(rows)
    }

    /// In a fleet, how many live vantages see the check healthy, and the rule that
    /// combined them: `healthy (2/3 quorum)`.
    static func observed(_ check: AdminJSON.HealthCheck) -> String {
        guard let observations = check.observations, observations.count > 1 else { return check.observed }
        let healthy = observations.filter(\.healthy).count
        return "\(check.observed) (\(healthy)/\(observations.count) \(check.vantages ?? "quorum"))"
    }
}

/// Times as the admin API writes them (ISO 8601 in UTC, whole seconds), so a table shows
/// what `--json` shows.
enum AdminTime {
    static func text(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = first.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
