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
                let (status, body) = try await client.send(.GET, "/v1/health-checks")
                guard status == 200 else { throw AdminClient.Failure(description: "the server refused (HTTP \(status))") }
                print(String(decoding: body, as: UTF8.self))
                return
            }
            let object = try await client.call(.GET, "/v1/health-checks") as? [String: Any]
            let checks = object?["healthChecks"] as? [[String: Any]] ?? []
            print(HealthTable.render(checks))
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
            let object = try await options.client().call(.DELETE, "/v1/health-checks/\(OverrideCommand.escape(id))/override") as? [String: Any]
            print("\(id): override cleared, now \(object?["effective"] as? String ?? "?")")
        }
    }
}

enum OverrideCommand {
    static func set(id: String, state: String, duration: String?, reason: String?, force: Bool, options: ClientOptions) async throws {
        var body: [String: Any] = ["state": state, "force": force, "requestedBy": Requester.current]
        if let duration { body["for"] = duration }
        if let reason { body["reason"] = reason }
        let object = try await options.client().call(.PUT, "/v1/health-checks/\(escape(id))/override", json: body) as? [String: Any]
        let expires = object?["overrideExpires"] as? String
        print("\(id): overridden \(state)\(expires.map { " until \($0)" } ?? ""), now \(object?["effective"] as? String ?? "?")")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }
}

/// The `health list` table.
enum HealthTable {
    static func render(_ checks: [[String: Any]]) -> String {
        let header = ["ID", "TARGET", "REGION", "OBSERVED", "OVERRIDE", "EFFECTIVE", "LAST RESULT"]
        var rows: [[String]] = [header]
        for check in checks {
            var override = check["override"] as? String ?? "-"
            if let expires = check["overrideExpires"] as? String { override += " until \(expires)" }
            if let reason = check["overrideReason"] as? String { override += " (\(reason))" }
            var last = check["lastResult"] as? String ?? "none yet"
            if let at = check["lastCheckedAt"] as? String { last += " at \(at)" }
            if check["stale"] as? Bool == true { last += " [stale]" }
            rows.append([check["id"] as? String ?? "?", check["target"] as? String ?? "?", check["region"] as? String ?? "-",
                         check["observed"] as? String ?? "?", override, check["effective"] as? String ?? "?", last])
        }
        return TextTable.render(rows)
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
