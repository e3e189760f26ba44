import DNSWire
import Foundation
import Logging
import Testing
import ZoneFile
import Zones
import ZoneSources

/// SPEC §7: zone files come from a commit, never the work tree; `$INCLUDE` stays inside
/// the git path of the same commit; a broken commit keeps the previous one serving.
@Suite(.enabled(if: GitTestRepository.available, "needs git (Debian package git)"))
struct GitZoneSourceTests {
    static func zone(_ address: String, serial: Int, extra: String = "") -> String {
        """
        $ORIGIN git.test.
        $TTL 60
        @   IN SOA ns hostmaster \(serial) 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        www IN A   \(address)
        \(extra)
        """
    }

    static func address(_ load: ZoneSetLoad) -> [String] {
        guard let zone = load.reports.first?.zone else { return [] }
        return zone.canonicalLines().filter { $0.hasPrefix("www.git.test.") }
    }

    @Test func workTreeEditsAndStagedChangesAreNotRead() async throws {
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.1", serial: 1))
        let commit = try await repo.commit("one")
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.99", serial: 99))
        try repo.write("zones/other.test.zone", "this is not a zone\n")
        try await repo.run(["add", "-A"])
        let load = try ZoneSetLoader().load(from: GitZoneSource(repository: repo.path, ref: nil))
        #expect(load.version == commit)
        #expect(load.reports.map(\.file) == ["zones/git.test.zone"])
        let lines = Self.address(load)
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.contains("192.0.2.1") })
    }

    @Test func anotherBranchAsRefIsReadAndTheDefaultIsTheCheckedOutBranch() async throws {
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.1", serial: 1))
        let main = try await repo.commit("main")
        try await repo.run(["checkout", "-q", "-b", "canary"])
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.2", serial: 2))
        let canary = try await repo.commit("canary")
        try await repo.run(["checkout", "-q", "main"])
        let checkedOut = try GitZoneSource(repository: repo.path, ref: nil)
        #expect(checkedOut.ref == "refs/heads/main")
        #expect(try ZoneSetLoader().load(from: checkedOut).version == main)
        let branch = try ZoneSetLoader().load(from: GitZoneSource(repository: repo.path, ref: "canary"))
        #expect(branch.version == canary)
        #expect(Self.address(branch).first?.contains("192.0.2.2") == true)
        // An exact commit (a deploy) is read whatever the ref says.
        #expect(try ZoneSetLoader().load(from: checkedOut, version: canary).version == canary)
    }

    @Test func includeInsideTheCommitIsReadAndOneEscapingTheGitPathIsRefused() async throws {
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.1", serial: 1, extra: "$INCLUDE parts/extra.inc"))
        try repo.write("zones/parts/extra.inc", "extra IN TXT \"from the commit\"\n")
        try repo.write("zones/escape.test.zone", """
            $ORIGIN escape.test.
            @ IN SOA ns hostmaster 1 3600 900 1209600 60
            @ IN NS ns
            $INCLUDE ../secret.inc
            """)
        try repo.write("secret.inc", "leak IN TXT \"outside\"\n")
        let commit = try await repo.commit("includes")
        let short = String(commit.prefix(7))
        try repo.write("zones/parts/extra.inc", "extra IN TXT \"from the work tree\"\n")
        let load = try ZoneSetLoader().load(from: GitZoneSource(repository: repo.path, ref: "main"))
        let good = try #require(load.reports.first { $0.file == "zones/git.test.zone" })
        #expect(good.succeeded)
        #expect(good.zone?.canonicalLines().contains { $0.contains("\"from the commit\"") } == true)
        #expect(good.zone?.canonicalLines().contains { $0.contains("work tree") } == false)
        let escape = try #require(load.reports.first { $0.file == "zones/escape.test.zone" })
        #expect(!escape.succeeded)
        let message = try #require(escape.errors.first?.description)
        #expect(message.hasPrefix("\(short):zones/escape.test.zone:4:"), "\(message)")
        #expect(message.contains("outside the git path 'zones'"), "\(message)")
    }

    @Test func symlinksAndBlobsOverTheByteLimitAreRefusedNamingTheCommit() async throws {
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.1", serial: 1))
        try repo.write("outside.txt", "x\n")
        try FileManager.default.createSymbolicLink(atPath: repo.folder.file("zones/link.test.zone").path, withDestinationPath: "../outside.txt")
        let commit = try await repo.commit("link")
        let short = String(commit.prefix(7))
        let load = try ZoneSetLoader(limits: ZoneLimits(maximumBytes: 64)).load(from: GitZoneSource(repository: repo.path, ref: nil))
        let messages = load.reports.flatMap(\.errors).map(\.description)
        #expect(messages.count == 2)
        #expect(messages.contains { $0.hasPrefix("\(short):zones/git.test.zone:1:1: error:") && $0.contains("exceeds the limit of 64 bytes") })
        #expect(messages.contains { $0.hasPrefix("\(short):zones/link.test.zone:1:1: error:") && $0.contains("symbolic link") })
    }

    @Test func aRefNamingNoCommitIsAClearError() async throws {
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.1", serial: 1))
        try await repo.commit("one")
        let source = try GitZoneSource(repository: repo.path, ref: "no-such-branch")
        #expect(throws: ZoneSourceError.self) { try ZoneSetLoader().load(from: source) }
        do { _ = try ZoneSetLoader().load(from: source) } catch {
            #expect(error.description.contains("cannot resolve 'no-such-branch' to a commit"), "\(error)")
        }
    }

    @Test func aBrokenCommitKeepsThePreviousOneServingAndIsNamed() async throws {
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.1", serial: 1))
        let good = try await repo.commit("good")
        let store = ZoneStore(ZoneSet.empty)
        let reloader = ZoneReloader(catalog: ZoneCatalog(store: store), source: try GitZoneSource(repository: repo.path, ref: nil),
                                    limits: .standard, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        #expect(await reloader.reload().map(\.outcome) == [.loaded])
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.2", serial: 2, extra: "bad IN A nonsense"))
        let broken = try await repo.commit("broken")
        let results = await reloader.reload()
        #expect(results.map(\.outcome) == [.failedKeptPrevious])
        #expect(results.first?.commit == broken)
        #expect(results.first?.errors.first?.description.hasPrefix("\(broken.prefix(7)):zones/git.test.zone:7:") == true)
        let entry = try #require(await reloader.catalog.allEntries.first)
        #expect(entry.commit == good)
        #expect(entry.zone?.serial == 1)
        #expect(store.current.zones.first?.serial == 1)
    }

    @Test func reloadToACommitServesThatCommitAndRunsTheSwapHookEachTime() async throws {
        let repo = try await GitTestRepository()
        defer { repo.remove() }
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.1", serial: 1))
        let old = try await repo.commit("old")
        try repo.write("zones/git.test.zone", Self.zone("192.0.2.2", serial: 2))
        let new = try await repo.commit("new")
        let store = ZoneStore(ZoneSet.empty)
        let reloader = ZoneReloader(catalog: ZoneCatalog(store: store), source: try GitZoneSource(repository: repo.path, ref: nil),
                                    limits: .standard, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        let (swaps, swapped) = AsyncStream.makeStream(of: Int.self)
        await reloader.whenSwapped { swapped.yield(store.current.zones.first.map { Int($0.serial) } ?? 0) }
        #expect(await reloader.reload().first?.commit == new)
        #expect(await reloader.reload(toCommit: old).first?.commit == old)
        #expect(store.current.zones.first?.serial == 1)
        #expect(await reloader.catalog.allEntries.first?.commit == old)
        swapped.finish()
        var seen: [Int] = []
        for await serial in swaps { seen.append(serial) }
        #expect(seen == [2, 1])

        let folder = ZoneReloader.folder(repo.folder.file("zones").path, store: ZoneStore(ZoneSet.empty))
        #expect(await folder.reload().map(\.outcome) == [.loaded])
        let refused = await folder.reload(toCommit: old)
        #expect(refused.map(\.outcome) == [.failedKeptPrevious])
        #expect(refused.first?.errors.first?.description.contains("zone folders have no versions") == true)
    }
}
