import AdminContract
import ArgumentParser
import Foundation

/// `switchyard drill`: named, time-boxed evacuations with a measured timeline (SPEC §8).
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Run a named, time-boxed evacuation and report what moved when.",
        discussion: """
            Example:
              switchyard whatif evacuate us-east-1
              switchyard drill start evac-42 --evacuate us-east-1 --for 15m --reason "quarterly drill"
              switchyard drill report evac-42
              switchyard drill stop evac-42
            The status page at the admin API's address (http://127.0.0.1:5380/) shows the drill as it runs.
            """,
        subcommands: [DrillStartCommand.self, DrillStopCommand.self, DrillReportCommand.self, DrillListCommand.self])
}

struct DrillStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Evacuate one or more regions as a named drill (the same safety rule as evacuate).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The drill's name: 1 to 64 letters, digits, '-', '_' or '.'.") var name: String
    @Option(name: .long, help: ArgumentHelp("A region to evacuate (repeatable).", valueName: "region")) var evacuate: [String] = []
    @Option(name: .customLong("for"), help: "How long the drill lasts (e.g. 15m); its overrides expire then.") var duration: String?
    @Option(name: .long, help: "Why (kept with the drill and in the override history).") var reason: String?
    @Flag(name: .long, help: "Start it even when a routed name is left with no healthy record set.") var force = false
    @Flag(name: .long, help: "Print the admin API's JSON.") var json = false

    func validate() throws {
        guard !evacuate.isEmpty else { throw ValidationError("name at least one region with --evacuate REGION") }
    }

    func run() async throws {
        let body = AdminJSON.DrillStart(name: name, evacuate: evacuate, for: duration, reason: reason, force: force,
                                        requestedBy: Requester.current)
        let report: AdminJSON.DrillReport = try await options.client().send(.POST, "/v1/drills", body: body)
        if json { return try DrillOutput.printJSON(report) }
        print("drill \(report.name) started: \(report.regions.joined(separator: ", ")) evacuated (\(report.checks.joined(separator: ", ")) down)"
              + (report.endsAt.map { " until \(DrillOutput.time($0))" } ?? "") + (report.revision.map { " (revision \($0))" } ?? ""))
        if !report.notSeenMoving.isEmpty { print("expected to move: \(report.notSeenMoving.joined(separator: ", "))") }
    }
}

struct DrillStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "End a drill now: clear its overrides.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The drill's name.") var name: String
    @Flag(name: .long, help: "Print the admin API's JSON.") var json = false

    func run() async throws {
        let report: AdminJSON.DrillReport = try await options.client().send(.POST, "/v1/drills/\(OverrideCommand.escape(name))/stop")
        if json { return try DrillOutput.printJSON(report) }
        print("drill \(report.name) \(report.state)\(report.endedAt.map { " at \(DrillOutput.time($0))" } ?? "")")
    }
}

struct DrillReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "What a drill moved, and when: per instance, per routed name, and the timeline.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The drill's name.") var name: String
    @Flag(name: .long, help: "Print the admin API's JSON.") var json = false

    func run() async throws {
        let path = "/v1/drills/\(OverrideCommand.escape(name))"
        let api = try options.client()
        if json { return print(try await api.raw(path)) }
        let report: AdminJSON.DrillReport = try await api.get(path)
        print(DrillOutput.table(report), terminator: "")
    }
}

struct DrillListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The drills kept, newest first.")
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let list: AdminJSON.DrillList = try await options.client().get("/v1/drills")
        if list.drills.isEmpty { return print("no drills yet") }
        for drill in list.drills {
            print("\(drill.name)\t\(drill.state)\tstarted \(DrillOutput.time(drill.startedAt))\t\(drill.regions.joined(separator: ","))\t\(drill.moves.count) move(s)")
        }
    }
}
