import ArgumentParser
import DNSSEC
import DNSWire
import Foundation

/// `switchyard keygen`: make a zone's DNSSEC signing key and print its DS record (SPEC §10).
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a DNSSEC key for a zone.",
        discussion: """
            Makes an ECDSA P-256 key (algorithm 13) for ZONE and writes it into DIR as
            K<zone>.+013+<tag>.private (mode 0600) and K<zone>.+013+<tag>.key, the layout
            BIND and Knot use. Prints the DS record to publish at the parent; `serve
            --dnssec-keys DIR` signs every zone that has a key there.

            Example:
              switchyard keygen example.com --dir keys/
            """)

    @Argument(help: "The zone's apex.")
    var zone: String

    @Option(name: .long, help: ArgumentHelp("Folder to write the key files into (made if missing).", valueName: "dir"))
    var dir: String

    func run() throws {
        let apex: DomainName
        do {
            apex = try DomainName(zone.hasSuffix(".") ? zone : zone + ".")
        } catch {
            throw ValidationError("zone: '\(zone)' is not a domain name: \(error)")
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("\(dir): cannot make the folder")
        }
        let key = ZoneSigningKey.generate(zone: apex)
        let path: String
        do {
            path = try KeyFile.write(key, into: dir)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardError.write(Data("wrote \(path)\n".utf8))
        print(key.dsRecord)
    }
}
