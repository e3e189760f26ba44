import Foundation
import Testing

/// `switchyard import octodns` as a user runs it: the built binary writes the zone file,
/// `switchyard check` accepts it, and bad input exits 1 with FILE:LINE:COLUMN errors.
@Suite struct OctoDNSImportCommandTests {
    @Test func importedFileFromTheBinaryPassesCheck() async throws {
        let folder = try TemporaryFolder(prefix: "octodns")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.file("zones"), withIntermediateDirectories: true)
        let yaml = try OctoDNSFixture.yaml()
        try yaml.write(to: folder.file("example.test.yaml"), atomically: true, encoding: .utf8)

        // The origin comes from the file name, as octoDNS names zone files.
        let imported = try await SwitchyardCheck.run(["import", "octodns", "example.test.yaml", "--output", "zones/example.test.zone"], in: folder.url.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr == "")
        let written = String(decoding: try #require(FileManager.default.contents(atPath: folder.file("zones/example.test.zone").path)), as: UTF8.self)
        #expect(written == (try OctoDNSFixture.imported()))

        let checked = try await SwitchyardCheck.run(["check", "zones"], in: folder.url.path)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stderr == "")
    }

    @Test func badInputExitsOneWithTheLineAndColumn() async throws {
        let folder = try TemporaryFolder(prefix: "octodns")
        defer { folder.remove() }
        try "www:\n  type: DNAME\n  value: x.example.test.\n".write(to: folder.file("zone.yaml"), atomically: true, encoding: .utf8)
        let result = try await SwitchyardCheck.run(["import", "octodns", "zone.yaml", "--origin", "example.test", "--ns", "ns1"], in: folder.url.path)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderrLines.first?.hasPrefix("zone.yaml:2:9: error: www.example.test. DNAME: type DNAME is not served here") == true, "\(result.stderr)")
    }

    @Test func aFileNameThatNamesNoZoneNeedsOrigin() async throws {
        let folder = try TemporaryFolder(prefix: "octodns")
        defer { folder.remove() }
        try "".write(to: folder.file("zone"), atomically: true, encoding: .utf8)
        let result = try await SwitchyardCheck.run(["import", "octodns", "zone"], in: folder.url.path)
        #expect(result.status == 1)
        #expect(result.stderrLines == ["zone: error: cannot tell the zone from the file name: give --origin"])
    }
}
