import ArgumentParser
import DNSWire
import Foundation
import ZoneInterchange

/// `switchyard import octodns`: a zone file from an octoDNS YAML zone.
struct ImportOctoDNSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "octodns",
        abstract: "Import an octoDNS zone.",
        discussion: """
            Reads an octoDNS YAML zone (records, dynamic pools, rules and fallbacks, health-check
            settings) and writes a zone file that `switchyard check` accepts. Dynamic A and AAAA
            records become geo, failover and weighted ALIAS trees under _octodns-* names, with a
            $HEALTHCHECK per pool value. Problems are printed as FILE:LINE:COLUMN: error: MESSAGE;
            any error exits 1 and writes nothing.

            Examples:
              switchyard import octodns example.com.yaml --ns ns1.example.net. > zones/example.com.zone
              switchyard import octodns zone.yaml --origin example.com. --output zones/example.com.zone
            """)

    @Argument(help: "The octoDNS YAML zone file.")
    var file: String

    @Option(help: "The zone's origin (default: the file name without .yaml, as octoDNS names zone files).")
    var origin: String?

    @Option(name: .customLong("ns"), help: "An apex NS target, written when the YAML has no apex NS (repeatable).")
    var nameServers: [String] = []

    @Option(help: "The SOA serial (octoDNS manages no SOA).")
    var serial: UInt32 = 1

    @Option(help: "Write the zone file here instead of standard output.")
    var output: String?

    func run() throws {
        let zone = try originName()
        var servers: [DomainName] = []
        for text in nameServers {
            do {
                servers.append(try DomainName(text, origin: zone))
            } catch {
                throw fail("--ns \(text): \(error)")
            }
        }
        guard let data = FileManager.default.contents(atPath: file), let yaml = String(data: data, encoding: .utf8) else {
            throw fail("cannot read the file as UTF-8 text")
        }
        let result = OctoDNSImporter(origin: zone, nameServers: servers, serial: serial).read(yaml: yaml, file: file)
        for diagnostic in result.diagnostics {
            FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
        }
        guard let document = result.document else { throw ExitCode(1) }
        let text = document.render()
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                FileHandle.standardError.write(Data("\(output): error: cannot write the zone file\n".utf8))
                throw ExitCode(1)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Prints `FILE: error: MESSAGE` and gives the exit status 1 to throw.
    func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("\(file): error: \(message)\n".utf8))
        return ExitCode(1)
    }

    func originName() throws -> DomainName {
        var text = origin
        if text == nil {
            let base = URL(fileURLWithPath: file).lastPathComponent
            for suffix in [".yaml", ".yml"] where base.hasSuffix(suffix) {
                text = String(base.dropLast(suffix.count))
            }
        }
        guard let text, !text.isEmpty else {
            throw fail("cannot tell the zone from the file name: give --origin")
        }
        do {
            return try DomainName(text.hasSuffix(".") ? text : text + ".")
        } catch {
            throw fail("origin '\(text)': \(error)")
        }
    }
}
