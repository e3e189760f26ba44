import ArgumentParser
import Authority
import DNSWire
import Foundation
import GeoIP
import Logging
import Routing
import ZoneFile

/// `switchyard diff`: what clients would be told differently after a change of zones.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Preview a zone change answer by answer, for each client network.",
        discussion: """
            OLD and NEW are folders of zone files, or commits of a git repository whose
            zone folder (--git-path) is read without touching the work tree. For every name
            and type of either version and every client network, the answer is computed by
            the same code the server answers with, in both versions, with every health
            check healthy (a diff is about the zones, not the live health). Weighted and
            multivalue answers are compared as shares over a fixed grid of random draws.

            Client networks are the rows of --clients (CSV with the header
            prefix,continent,country,subdivision,latitude,longitude); else the rows of
            --geo-networks; else, with --geoip, one network per country and subdivision
            in the database; else one client with no location. Queries carry the network
            as their EDNS Client Subnet.

            Record changes that change no client's answer (a set no network is routed to,
            a renamed health check or set identifier) are listed after the answers. A TTL
            change is an answer change; the SOA of negative answers is left out, so a
            serial bump shows only on the SOA itself. Exit 0 when nothing changes, 1 when
            something does, 2 on error (a zone that fails to load, as FILE:LINE:COLUMN;
            a commit that is not there).

            --json prints {old, new, health, clients: [{name, prefix}], changes: [{name,
            type, clients, old, new}], unreachedChanges: [{name, type, removed, added}]};
            old and new are lists of {answer, share}, share in percent with one decimal.

            Examples:
              switchyard diff HEAD~1 HEAD --clients clients.csv
              switchyard diff zones-before/ zones/ --json
            """)

    @Argument(help: "The old version: a folder of zone files or a commit.")
    var old: String

    @Argument(help: "The new version: a folder of zone files or a commit.")
    var new: String

    @Option(name: .long, help: ArgumentHelp("The git repository commits are read from (default: the current folder).", valueName: "repo"))
    var git: String?

    @Option(name: .long, help: ArgumentHelp("The zone folder inside a commit.", valueName: "dir"))
    var gitPath: String = "zones"

    @Option(name: .long, help: ArgumentHelp("Client networks to compare for, one per row.", valueName: "file.csv"))
    var clients: String?

    @Option(name: .long, help: ArgumentHelp("MaxMind DB locating clients, as for serve.", valueName: "file.mmdb"))
    var geoip: String?

    @Option(name: .long, help: ArgumentHelp("Client prefixes mapped to locations, as for serve.", valueName: "file.csv"))
    var geoNetworks: String?

    @Option(name: .long, help: ArgumentHelp("Measured latencies per client network, as for serve.", valueName: "file.csv"))
    var latencyTable: String?

    @Flag(name: .long, help: "Print the changes as JSON.")
    var json = false

    @OptionGroup var zoneLimits: ZoneLimitOptions

    func run() throws {
        let changed: Bool
        do {
            let (report, networks) = try compare()
            let out = json ? try DiffOutput.json(report, old: old, new: new, clients: networks) : DiffOutput.table(report, clients: networks)
            FileHandle.standardOutput.write(Data(out.utf8))
            changed = !report.isEmpty
        } catch let failure as DiffVersion.LoadError {
            FileHandle.standardError.write(Data(failure.lines.map { $0 + "\n" }.joined().utf8))
            throw ExitCode(2)
        } catch {
            // Status 1 means "answers change": any other failure is an error, status 2.
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if changed { throw ExitCode(1) }
    }

    func compare() throws -> (AnswerDiffReport, [ClientNetwork]) {
        let before = try DiffVersion(argument: old, repository: git, zonePath: gitPath, limits: zoneLimits.limits).load()
        let after = try DiffVersion(argument: new, repository: git, zonePath: gitPath, limits: zoneLimits.limits).load()
        let (networks, listed) = try clientNetworks()
        let locator: any ClientLocator
        do {
            locator = try ClientLocatorLoader.load(geoip: geoip, geoNetworks: geoNetworks, latencyTable: latencyTable,
                                                   logger: Logger(label: "switchyard.diff", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch {
            throw DiffVersion.LoadError(lines: ["\(error)"])
        }
        // The client list's own locations place its networks first, as --geo-networks does.
        let placed: any ClientLocator
        if let listed, let geo = locator as? GeoClientLocator {
            placed = GeoClientLocator(sources: [listed] + geo.sources, latencyTable: geo.latencyTable)
        } else if let listed {
            placed = GeoClientLocator(sources: [listed], latencyTable: nil)
        } else {
            placed = locator
        }
        // The networks reported are the ones the engine asked (one unlocated client for an
        // empty list).
        let diff = AnswerDiff(old: before, new: after, clients: networks, locator: placed)
        return (diff.compare(), diff.clients)
    }

    /// The client networks, and the --clients table when it gave them (it then also
    /// places them).
    func clientNetworks() throws(DiffVersion.LoadError) -> ([ClientNetwork], GeoNetworksTable?) {
        if let file = clients ?? geoNetworks {
            do {
                let table = try GeoNetworksTable(contentsOf: file)
                return (ClientNetworkNames.name(table.entries.map { ($0.prefix, $0.location) }), clients != nil ? table : nil)
            } catch {
                throw DiffVersion.LoadError(lines: ["\(error)"])
            }
        }
        if let geoip {
            do {
                return (ClientNetworkNames.name(try MaxMindDatabase(contentsOf: geoip).networksByPlace()), nil)
            } catch {
                throw DiffVersion.LoadError(lines: ["\(geoip): \(error)"])
            }
        }
        return ([.anyClient], nil)
    }
}

/// Names client networks by their place, CONTINENT-COUNTRY[-SUBDIVISION] ("EU-DE",
/// "NA-US-CA"), or by prefix when unplaced; a name two networks share gets the prefix
/// added.
enum ClientNetworkNames {
    static func name(_ rows: [(prefix: IPPrefix, location: GeoLocation)]) -> [ClientNetwork] {
        let names = rows.map { row -> String in
            let parts = [row.location.continent, row.location.country, row.location.subdivision].compactMap { $0.map { "\($0)" } }
            return parts.isEmpty ? "\(row.prefix)" : parts.joined(separator: "-")
        }
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        return zip(rows, names).map { row, name in
            ClientNetwork(name: counts[name]! > 1 && name != "\(row.prefix)" ? "\(name) \(row.prefix)" : name, prefix: row.prefix)
        }
    }
}
