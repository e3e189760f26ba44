import Foundation
import Testing

/// `switchyard diff` as a user runs it: two folders, a git repository's commits, the
/// exit status, the table, the JSON.
@Suite struct DiffCommandTests {
    static let zone = """
        $ORIGIN example.test.
        $TTL 300
        @      IN SOA ns1 hostmaster 1 3600 900 1209600 60
               IN NS  ns1
        ns1    IN A   192.0.2.53
        app [geo id=default country=*] 60 IN A 192.0.2.10
        www [weighted id=blue  weight=90] 60 IN A 192.0.2.1
        www [weighted id=green weight=10] 60 IN A 192.0.2.2

        """
    /// The change: Europe gets its own app address, the canary goes to half.
    static let changed = zone.replacingOccurrences(of: "weight=90", with: "weight=50").replacingOccurrences(of: "weight=10", with: "weight=50")
        + "app [geo id=europe continent=EU] 60 IN A 192.0.2.11\n"
    static let clients = """
        prefix,continent,country,subdivision,latitude,longitude
        198.51.100.0/24,EU,DE,,,
        192.0.2.0/24,NA,US,CA,,
        203.0.113.0/24,EU,FR,,,

        """

    static func folder(_ root: TemporaryFolder, _ name: String, zone: String) throws -> String {
        try folder(root.file(name), zone: zone)
    }

    static func folder(_ url: URL, zone: String) throws -> String {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try zone.write(to: url.appendingPathComponent("example.test.zone"), atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func changedFoldersExitOneAndAttributeEachChange() async throws {
        let root = try TemporaryFolder(prefix: "diff")
        defer { root.remove() }
        let old = try Self.folder(root, "old", zone: Self.zone), new = try Self.folder(root, "new", zone: Self.changed)
        try Self.clients.write(to: root.file("clients.csv"), atomically: true, encoding: .utf8)
        let result = try await SwitchyardCheck.run(["diff", old, new, "--clients", "clients.csv"], in: root.url.path)
        #expect(result.status == 1)
        #expect(result.stderr == "")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("app.example.test. A EU-DE, EU-FR 192.0.2.10 (ttl 60) → 192.0.2.11 (ttl 60)"))
        #expect(lines.contains("www.example.test. A all 3 clients 90% 192.0.2.1 (ttl 60) | 10% 192.0.2.2 (ttl 60) → 50% 192.0.2.1 (ttl 60) | 50% 192.0.2.2 (ttl 60)"))
        #expect(!result.stdout.contains("NA-US-CA"))

        let json = try await SwitchyardCheck.run(["diff", old, new, "--clients", "clients.csv", "--json"], in: root.url.path)
        #expect(json.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let changes = try #require(document["changes"] as? [[String: Any]])
        #expect(changes.count == 2)
        #expect(changes.first?["name"] as? String == "app.example.test.")
        #expect(changes.first?["clients"] as? [String] == ["EU-DE", "EU-FR"])
        let shares = try #require((changes.last?["old"] as? [[String: Any]])?.compactMap { $0["share"] as? Double })
        #expect(shares == [90, 10])
        #expect(document["health"] as? String == "all-healthy")
        #expect((document["clients"] as? [[String: Any]])?.compactMap { $0["prefix"] as? String } == ["198.51.100.0/24", "192.0.2.0/24", "203.0.113.0/24"])
    }

    @Test func sameFolderTwiceExitsZero() async throws {
        let root = try TemporaryFolder(prefix: "diff")
        defer { root.remove() }
        let old = try Self.folder(root, "old", zone: Self.zone)
        let result = try await SwitchyardCheck.run(["diff", old, old], in: root.url.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("No answer changes"))
    }

    @Test func zoneWithAnErrorExitsTwoNamingFileLineAndColumn() async throws {
        let root = try TemporaryFolder(prefix: "diff")
        defer { root.remove() }
        _ = try Self.folder(root, "old", zone: Self.zone)
        _ = try Self.folder(root, "new", zone: Self.zone + "bad 60 IN A 192.0.2.300\n")
        let result = try await SwitchyardCheck.run(["diff", "old", "new"], in: root.url.path)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("new/example.test.zone:9:"), "got \(result.stderr)")
    }

    @Test func aMistypedArgumentExitsTwoLikeEveryOtherError() async throws {
        let root = try TemporaryFolder(prefix: "diff")
        defer { root.remove() }
        let unknownOption = try await SwitchyardCheck.run(["diff", "a", "b", "--colour"], in: root.url.path)
        #expect(unknownOption.status == 2)
        #expect(unknownOption.stderr.contains("--colour"), "\(unknownOption.stderr)")
        let missingOperand = try await SwitchyardCheck.run(["diff", "a"], in: root.url.path)
        #expect(missingOperand.status == 2)
        // Other commands keep the parser's usage status.
        #expect(try await SwitchyardCheck.run(["check", "--colour"], in: root.url.path).status == 64)
    }

    @Test func aRecordChangeNoClientReachesIsListedApartAndStillExitsOne() async throws {
        let root = try TemporaryFolder(prefix: "diff")
        defer { root.remove() }
        // A Europe-only set for a population with no European network: no answer moves.
        let old = try Self.folder(root, "old", zone: Self.zone + "app [geo id=europe continent=EU] 60 IN A 192.0.2.11\n")
        let new = try Self.folder(root, "new", zone: Self.zone + "app [geo id=europe continent=EU] 60 IN A 192.0.2.12\n")
        try "prefix,continent,country,subdivision,latitude,longitude\n192.0.2.0/24,NA,US,CA,,\n".write(to: root.file("us.csv"), atomically: true, encoding: .utf8)
        let result = try await SwitchyardCheck.run(["diff", old, new, "--clients", "us.csv"], in: root.url.path)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("0 answer change(s), 1 record change(s) reaching no client"), "\(result.stdout)")
        let json = try await SwitchyardCheck.run(["diff", old, new, "--clients", "us.csv", "--json"], in: root.url.path)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["changes"] as? [Any])?.isEmpty == true)
        let unreached = try #require(document["unreachedChanges"] as? [[String: Any]])
        #expect(unreached.count == 1 && unreached.first?["name"] as? String == "app.example.test.")
    }

    @Test func aClientListWithTheWrongHeaderOrNoZonesExitsTwo() async throws {
        let root = try TemporaryFolder(prefix: "diff")
        defer { root.remove() }
        let old = try Self.folder(root, "old", zone: Self.zone)
        try "network,country\n192.0.2.0/24,US\n".write(to: root.file("bad.csv"), atomically: true, encoding: .utf8)
        let badHeader = try await SwitchyardCheck.run(["diff", old, old, "--clients", "bad.csv"], in: root.url.path)
        #expect(badHeader.status == 2)
        #expect(badHeader.stderr.contains("bad.csv"), "\(badHeader.stderr)")
        try FileManager.default.createDirectory(at: root.file("empty"), withIntermediateDirectories: true)
        let noZones = try await SwitchyardCheck.run(["diff", old, "empty"], in: root.url.path)
        #expect(noZones.status == 2)
        #expect(noZones.stderr.contains("no *.zone files"), "\(noZones.stderr)")
    }

    @Test func geoipWithoutClientsAsksOneNetworkPerPlace() async throws {
        let root = try TemporaryFolder(prefix: "diff")
        defer { root.remove() }
        let old = try Self.folder(root, "old", zone: Self.zone)
        let new = try Self.folder(root, "new", zone: Self.zone + "app [geo id=europe continent=EU] 60 IN A 192.0.2.11\n")
        let mmdb = RepositoryLayout.fixture("mmdb/city-ipv4-32.mmdb").path
        let result = try await SwitchyardCheck.run(["diff", old, new, "--geoip", mmdb, "--json"], in: root.url.path)
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let clients = try #require((document["clients"] as? [[String: Any]])?.compactMap { $0["name"] as? String })
        let changed = try #require((document["changes"] as? [[String: Any]])?.first?["clients"] as? [String])
        #expect(clients.count > 3)
        #expect(!changed.isEmpty)
        #expect(changed.allSatisfy { $0.hasPrefix("EU-") })
        #expect(clients.filter { $0.hasPrefix("EU-") }.sorted() == changed.sorted())
    }

    static let git = ExternalTool.find("git")

    @Suite(.enabled(if: DiffCommandTests.git != nil, "git is missing (Debian package git)"))
    struct Commits {
        func git(_ arguments: [String], in repository: URL) async throws {
            let result = try await ExternalTool.run(try #require(DiffCommandTests.git),
                                                    ["-c", "user.name=Diff Test", "-c", "user.email=diff@example.test", "-c", "commit.gpgsign=false"] + arguments,
                                                    in: repository)
            try #require(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
        }

        @Test func commitsOfARepositoryCompareWithoutTouchingItsWorkTree() async throws {
            let root = try TemporaryFolder(prefix: "diff-git")
            defer { root.remove() }
            let repository = root.file("repo")
            _ = try DiffCommandTests.folder(repository.appendingPathComponent("zones"), zone: DiffCommandTests.zone)
            try await git(["init", "-q"], in: repository)
            try await git(["add", "zones"], in: repository)
            try await git(["commit", "-q", "-m", "first"], in: repository)
            let zoneFile = repository.appendingPathComponent("zones/example.test.zone")
            try DiffCommandTests.changed.write(to: zoneFile, atomically: true, encoding: .utf8)
            try await git(["commit", "-q", "-a", "-m", "second"], in: repository)
            // An uncommitted edit must be neither read nor disturbed.
            try "; local edit\n".write(to: zoneFile, atomically: true, encoding: .utf8)

            let changed = try await SwitchyardCheck.run(["diff", "HEAD~1", "HEAD", "--git", repository.path], in: root.url.path)
            #expect(changed.status == 1, "\(changed.stderr)")
            #expect(changed.stdout.contains("app.example.test."))
            #expect(changed.stdout.contains("50% 192.0.2.1 (ttl 60)"))

            let same = try await SwitchyardCheck.run(["diff", "HEAD", "HEAD", "--git", repository.path], in: root.url.path)
            #expect(same.status == 0, "\(same.stderr)")

            let bad = try await SwitchyardCheck.run(["diff", "HEAD", "no-such-ref", "--git", repository.path], in: root.url.path)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("no-such-ref"))

            // Run inside the repository, the default repository is the current folder.
            let inside = try await SwitchyardCheck.run(["diff", "HEAD~1", "HEAD"], in: repository.path)
            #expect(inside.status == 1, "\(inside.stderr)")

            #expect(try String(contentsOf: zoneFile, encoding: .utf8) == "; local edit\n")
        }
    }
}
