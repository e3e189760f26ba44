import ArgumentParser
import Foundation
import ZoneFile
import Zones
import ZoneSources

/// `switchyard check`: load and validate zone files without serving them.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate zone files without serving them.",
        discussion: """
            Loads every *.zone file in the given files or folders with every check that
            `serve` applies, and prints each problem as FILE:LINE:COLUMN: error: MESSAGE.
            Exits 0 when all is well, 1 on any error.

            Examples:
              switchyard check zones/
              switchyard check --git . --ref main
              switchyard check --print zones/drill.test.zone | sort > records.txt
            """)

    @OptionGroup var zoneSource: ZoneSourceOptions

    @Flag(name: .long, help: "Print every record in canonical presentation form (owner, TTL, class, type, data; routing attributes after ';').")
    var print = false

    @OptionGroup var zoneLimits: ZoneLimitOptions

    func run() throws {
        let reports: [ZoneFileReport]
        do {
            reports = try ZoneSetLoader(limits: zoneLimits.limits).load(from: try zoneSource.source()).reports
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        var failed = false
        for report in reports {
            for diagnostic in report.diagnostics {
                FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
            }
            if !report.succeeded { failed = true }
        }
        if reports.isEmpty {
            FileHandle.standardError.write(Data("\(zoneSource.description): error: no *.zone files found\n".utf8))
            failed = true
        }
        if print {
            var out = ""
            for report in reports.sorted(by: { ($0.origin?.description ?? "") < ($1.origin?.description ?? "") }) {
                guard let zone = report.zone else { continue }
                for line in zone.canonicalLines() { out += line + "\n" }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
        if failed { throw ExitCode(1) }
    }
}
