import AdminContract
import ArgumentParser
import Foundation

/// `switchyard whatif`: what an evacuation or a check going down would do to the
/// answers, asked of the running server, which changes nothing.
struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Preview an evacuation or checks going down: who would be answered from which set.",
        discussion: """
            For every routed name and type, the share of client networks answered from
            each routed set now and with the given regions or checks down, computed by the
            running server with its own answer code and its current health. Nothing is
            changed. Client networks are the server's (--geo-networks rows, else one per
            country and subdivision of --geoip, else one unlocated client) or the rows of
            --clients (CSV with the header prefix,continent,country,subdivision,latitude,longitude).

            The table lists the names whose answers move: one line per move with the share
            of networks moving, then the shares before and after; then the names that
            would be left with no healthy set, and the population counted.

            Exit 0, or 1 when a name would be left with no healthy set; 2 on error.
            --json prints the API's answer: {assumed, names: [{name, type, policy, before,
            after, moves, leftWithoutHealthySet}], namesWithoutHealthySet, clients,
            classes, elapsedSeconds}, shares in percent with one decimal.

            Examples:
              switchyard whatif evacuate us-east-1
              switchyard whatif down web-use1 web-euw1 --clients clients.csv --json
            """,
        subcommands: [WhatIfEvacuateCommand.self, WhatIfDownCommand.self])
}

/// `switchyard whatif evacuate REGION...`.
struct WhatIfEvacuateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evacuate", abstract: "Preview every check of the regions down (exit 1: a name left with no healthy set).")
    @OptionGroup var options: WhatIfOptions
    @Argument(help: "Regions, as the checks' region= names them.") var regions: [String]

    func run() async throws {
        try await options.run(AdminJSON.WhatIfRequest(regions: regions, down: []))
    }
}

/// `switchyard whatif down CHECK...`.
struct WhatIfDownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down", abstract: "Preview the checks down (exit 1: a name left with no healthy set).")
    @OptionGroup var options: WhatIfOptions
    @Argument(help: "Health check ids.") var checks: [String]

    func run() async throws {
        try await options.run(AdminJSON.WhatIfRequest(regions: [], down: checks))
    }
}

/// What both forms share: the server, the client list and the output.
struct WhatIfOptions: ParsableArguments {
    @OptionGroup var client: ClientOptions

    @Option(name: .long, help: ArgumentHelp("Client networks to count instead of the server's, one per row.", valueName: "file.csv"))
    var clients: String?

    @Flag(name: .long, help: "Print the admin API's JSON.")
    var json = false

    func run(_ request: AdminJSON.WhatIfRequest) async throws {
        var request = request
        let report: AdminJSON.WhatIfReport
        do {
            if let clients { request.clients = try String(contentsOfFile: clients, encoding: .utf8) }
            let admin = try client.client()
            let reply = try await admin.exchange(.POST, "/v1/whatif", body: try AdminJSON.encoder().encode(request))
            report = try admin.decode(reply)
            if json {
                print(String(decoding: reply.body, as: UTF8.self))
            } else {
                print(WhatIfTable.render(report), terminator: "")
            }
        } catch {
            // The server checks the list and names its rows "clients:LINE:COLUMN"; here
            // they are this file's (one parse, on the server).
            var message = "\(error)"
            if let clients { message = message.replacingOccurrences(of: "list: clients:", with: "list: \(clients):") }
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            throw ExitCode(2)
        }
        if !report.namesWithoutHealthySet.isEmpty { throw ExitCode(1) }
    }
}

/// The table `whatif` prints.
enum WhatIfTable {
    static func render(_ report: AdminJSON.WhatIfReport) -> String {
        var out = ""
        let assumed = report.assumed
        out += "Assuming down: " + (assumed.checksDown.isEmpty ? "nothing" : assumed.checksDown.joined(separator: ", "))
        out += assumed.regions.isEmpty ? "\n" : " (regions \(assumed.regions.joined(separator: ", ")))\n"
        var unchanged = 0
        for name in report.names {
            guard !name.moves.isEmpty || name.leftWithoutHealthySet else {
                unchanged += 1
                continue
            }
            out += "\(name.name) \(name.type) (\(name.policy))\(name.leftWithoutHealthySet ? " LEFT WITH NO HEALTHY SET" : "")\n"
            for move in name.moves { out += "  \(percent(move.share)) \(move.from ?? "none") → \(move.to ?? "none")\n" }
            out += "  now:   \(shares(name.before))\n"
            out += "  after: \(shares(name.after))\n"
        }
        if unchanged > 0 { out += "\(unchanged) routed name\(unchanged == 1 ? "" : "s") and type\(unchanged == 1 ? "" : "s") unchanged\n" }
        out += "Left with no healthy set: " + (report.namesWithoutHealthySet.isEmpty ? "none" : report.namesWithoutHealthySet.joined(separator: ", ")) + "\n"
        out += "\(report.clients) client network\(report.clients == 1 ? "" : "s") in \(report.classes) class\(report.classes == 1 ? "" : "es"), "
        out += "computed in \(String(format: "%.3f", report.elapsedSeconds)) s\n"
        return out
    }

    static func percent(_ share: Double) -> String {
        let text = String(format: "%.1f%%", share)
        return String(repeating: " ", count: max(0, 6 - text.count)) + text
    }

    static func shares(_ shares: [AdminJSON.WhatIfShare]) -> String {
        shares.map { "\($0.set ?? "none") \(String(format: "%.1f%%", $0.share))" }.joined(separator: ", ")
    }
}
