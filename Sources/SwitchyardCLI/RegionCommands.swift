import AdminContract
import ArgumentParser
import Foundation

/// `switchyard evacuate REGION`: mark every check of a region down.
struct EvacuateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evacuate",
        abstract: "Override every health check of a region to unhealthy.",
        discussion: "Example: switchyard evacuate us-east-1 --for 10m --reason \"drill 42\"")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The region, as the checks' region= names it.") var region: String
    @Option(name: .customLong("for"), help: "Expire after this long (e.g. 10m).") var duration: String?
    @Option(name: .long, help: "Why (kept in the override history).") var reason: String?
    @Flag(name: .long, help: "Do it even when a routed name is left with no healthy record set.") var force = false

    func run() async throws {
        let body = AdminJSON.OverrideRequest(for: duration, reason: reason, force: force, requestedBy: Requester.current)
        let result: AdminJSON.RegionResult = try await options.client().send(.POST, "/v1/regions/\(OverrideCommand.escape(region))/evacuate", body: body)
        print("evacuated \(region): \(result.healthChecks.map(\.id).joined(separator: ", ")) marked down\(duration.map { " for \($0)" } ?? "")\(result.revision.map { " (revision \($0))" } ?? "")")
    }
}

/// `switchyard restore REGION`: clear the overrides of a region's checks.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Clear the overrides of every health check of a region.",
        discussion: "Example: switchyard restore us-east-1")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The region, as the checks' region= names it.") var region: String

    func run() async throws {
        let result: AdminJSON.RegionResult = try await options.client().send(.POST, "/v1/regions/\(OverrideCommand.escape(region))/restore",
                                                                             body: AdminJSON.OverrideRequest(requestedBy: Requester.current))
        print("restored \(region): " + result.healthChecks.map { "\($0.id) \($0.effective)" }.joined(separator: ", ")
              + (result.revision.map { " (revision \($0))" } ?? ""))
    }
}

/// `switchyard reload`: load every zone again now.
struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Reload every zone of the running server now; a zone that fails keeps its previous version.",
        discussion: "Example: switchyard reload")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let reload: AdminJSON.ReloadResult = try await options.client().send(.POST, "/v1/reload")
        var failed = false
        for zone in reload.zones {
            print("\(zone.origin ?? zone.file): \(zone.result)\(zone.commit.map { " (commit \($0))" } ?? "")")
            for error in zone.errors { print("  \(error)") }
            if zone.result.hasPrefix("failed") { failed = true }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `switchyard explain`: the answer a client would get and why.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the answer a client would get, and each routing step that chose it.",
        discussion: "Example: switchyard explain www.drill.test A --subnet 203.0.113.0/24")
    @OptionGroup var options: ClientOptions
    @Argument(help: "Name to ask about.") var name: String
    @Argument(help: "Record type (default A).") var type: String = "A"
    @Option(name: .long, help: "The client's address (the query's source).") var client: String?
    @Option(name: .long, help: "The client subnet, as an ECS option would carry it (e.g. 203.0.113.0/24).") var subnet: String?
    @Flag(name: .long, help: "Print the admin API's JSON.") var json = false

    func run() async throws {
        var items = [URLQueryItem(name: "name", value: name), URLQueryItem(name: "type", value: type)]
        if let client { items.append(URLQueryItem(name: "client", value: client)) }
        if let subnet { items.append(URLQueryItem(name: "subnet", value: subnet)) }
        var components = URLComponents()
        components.queryItems = items
        let path = "/v1/explain?" + (components.percentEncodedQuery ?? "")
        let api = try options.client()
        if json {
            print(try await api.raw(path))
            return
        }
        let explanation: AdminJSON.Explanation = try await api.get(path)
        print(";; \(explanation.name) \(explanation.type) for client \(explanation.client)\(explanation.subnet.map { " subnet \($0)" } ?? "")")
        print(";; \(explanation.rcode)\(explanation.authoritative ? ", authoritative" : ""), ECS scope /\(explanation.clientSubnetScope)")
        for (title, lines) in [("ANSWER", explanation.answer), ("AUTHORITY", explanation.authority), ("ADDITIONAL", explanation.additional)] {
            guard !lines.isEmpty else { continue }
            print(";; \(title)")
            lines.forEach { print($0) }
        }
        print(";; WHY")
        for step in explanation.trail {
            print("  \(step.verdict)\(step.set.map { " [\($0)]" } ?? ""): \(step.detail)")
        }
    }
}
