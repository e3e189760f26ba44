import AdminContract
import ArgumentParser
import Foundation

/// `switchyard fleet`: every live instance of the NS set and whether they agree.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Show every live instance: its vantage, whether it is connected, the state revision and zone versions it serves.",
        discussion: """
            Ends with `in sync: yes` when every instance serves the same zone versions and state revision, otherwise `in sync: no` and the instances that differ. The exit status is 0 either way: the command reports, it does not judge (a script reads `inSync` from --json).

            Example: switchyard fleet --admin http://ns1.example.net:5380
            """)
    @OptionGroup var options: ClientOptions
    @Flag(name: .long, help: "Print the admin API's JSON instead of a table.") var json = false

    func run() async throws {
        let client = try options.client()
        if json {
            print(try await client.raw("/v1/fleet"))
            return
        }
        let report: AdminJSON.FleetReport = try await client.get("/v1/fleet")
        print(FleetTable.render(report))
    }
}

/// The `fleet` table and its verdict line.
enum FleetTable {
    static func render(_ report: AdminJSON.FleetReport) -> String {
        // Instances serving from git show their commit (`serve --git`, `deploy`).
        let commits = report.instances.contains { $0.commit != nil }
        var rows = [["INSTANCE", "VANTAGE", "CONNECTED", "STATE REV"] + (commits ? ["COMMIT"] : []) + ["ZONES", "UPDATED"]]
        for instance in report.instances {
            let zones = instance.zones.map(describe).joined(separator: ", ")
            rows.append([instance.name, instance.vantage, instance.connected ? "yes" : "no", "\(instance.stateRevision)"]
                        + (commits ? [instance.commit.map { String($0.prefix(12)) } ?? "-"] : [])
                        + [zones.isEmpty ? "-" : zones, instance.updatedAt.map(AdminTime.text) ?? "-"])
        }
        var lines = [TextTable.render(rows), "in sync: \(report.inSync ? "yes" : "no") (revision \(report.revision))"]
        if !report.inSync { lines += differences(report) }
        return lines.joined(separator: "\n")
    }

    /// Which instances differ, and in what: behind the newest revision, or serving zone
    /// versions other than most instances serve.
    static func differences(_ report: AdminJSON.FleetReport) -> [String] {
        let versions = report.instances.map { Set($0.zones) }
        var counts: [Set<AdminJSON.ZoneVersion>: Int] = [:]
        for version in versions { counts[version, default: 0] += 1 }
        // The most common zone versions; ties go to the first instance's, so the verdict is stable.
        let common = versions.max { counts[$0, default: 0] < counts[$1, default: 0] } ?? []
        var lines: [String] = []
        for (instance, served) in zip(report.instances, versions) {
            var reasons: [String] = []
            if instance.stateRevision != report.revision {
                reasons.append("state revision \(instance.stateRevision), not \(report.revision)")
            }
            if served != common {
                let differing = instance.zones.filter { !common.contains($0) }
                var text = "zones differ"
                if !differing.isEmpty { text += ": serves " + differing.map(describe).joined(separator: ", ") }
                let absent = Set(common.subtracting(served).map(\.origin)).subtracting(differing.map(\.origin)).sorted()
                if !absent.isEmpty { text += "; lacks " + absent.joined(separator: ", ") }
                reasons.append(text)
            }
            if let first = report.instances.first, instance.commit != first.commit {
                reasons.append("serves commit \(instance.commit.map { String($0.prefix(12)) } ?? "none"), not \(first.commit.map { String($0.prefix(12)) } ?? "none")")
            }
            if !instance.connected { reasons.append("not connected") }
            if !reasons.isEmpty { lines.append("  \(instance.name): " + reasons.joined(separator: "; ")) }
        }
        return lines.isEmpty ? ["  (the instances report the same versions; the server judged them apart)"] : lines
    }

    /// "origin serial digest-prefix": enough of the digest to tell versions apart by eye.
    static func describe(_ zone: AdminJSON.ZoneVersion) -> String {
        "\(zone.origin) \(zone.serial) \(zone.digest.prefix(8))"
    }
}
