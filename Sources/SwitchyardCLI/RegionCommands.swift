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
        var body: [String: Any] = ["force": force, "requestedBy": Requester.current]
        if let duration { body["for"] = duration }
        if let reason { body["reason"] = reason }
        let object = try await options.client().call(.POST, "/v1/regions/\(OverrideCommand.escape(region))/evacuate", json: body) as? [String: Any]
        let checks = object?["healthChecks"] as? [[String: Any]] ?? []
        print("evacuated \(region): \(checks.compactMap { $0["id"] as? String }.joined(separator: ", ")) marked down\(duration.map { " for \($0)" } ?? "")")
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
        let object = try await options.client().call(.POST, "/v1/regions/\(OverrideCommand.escape(region))/restore",
                                                     json: ["requestedBy": Requester.current]) as? [String: Any]
        let checks = object?["healthChecks"] as? [[String: Any]] ?? []
        print("restored \(region): " + checks.map { "\($0["id"] as? String ?? "?") \($0["effective"] as? String ?? "?")" }.joined(separator: ", "))
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
        let object = try await options.client().call(.POST, "/v1/reload") as? [String: Any]
        var failed = false
        for zone in object?["zones"] as? [[String: Any]] ?? [] {
            let result = zone["result"] as? String ?? "?"
            print("\(zone["origin"] as? String ?? zone["file"] as? String ?? "?"): \(result)")
            for error in zone["errors"] as? [String] ?? [] { print("  \(error)") }
            if result.hasPrefix("failed") { failed = true }
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
            let (_, body) = try await api.send(.GET, path)
            print(String(decoding: body, as: UTF8.self))
            return
        }
        guard let object = try await api.call(.GET, path) as? [String: Any] else { return }
        print(";; \(object["name"] as? String ?? name) \(object["type"] as? String ?? type) for client \(object["client"] as? String ?? "?")\((object["subnet"] as? String).map { " subnet \($0)" } ?? "")")
        print(";; \(object["rcode"] as? String ?? "?")\(object["authoritative"] as? Bool == true ? ", authoritative" : ""), ECS scope /\(object["clientSubnetScope"] as? Int ?? 0)")
        for (title, key) in [("ANSWER", "answer"), ("AUTHORITY", "authority"), ("ADDITIONAL", "additional")] {
            let lines = object[key] as? [String] ?? []
            guard !lines.isEmpty else { continue }
            print(";; \(title)")
            lines.forEach { print($0) }
        }
        print(";; WHY")
        for step in object["trail"] as? [[String: Any]] ?? [] {
            let set = (step["set"] as? String).map { " [\($0)]" } ?? ""
            print("  \(step["verdict"] as? String ?? "?")\(set): \(step["detail"] as? String ?? "")")
        }
    }
}
