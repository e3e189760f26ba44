import DNSWire
import Foundation
import Testing
import ZoneFile
import Zones

/// Zone files held in memory: the loader parses what a source gives and reads nothing
/// itself, so no file is touched here.
struct InMemoryZoneSource: ZoneSource {
    var version: String?
    var files: [String: String]

    struct Includes: ZoneFileSource {
        var files: [String: String]
        func include(_ path: String, from includingFile: String) throws(IncludeError) -> IncludedFile {
            guard let text = files[path] else { throw IncludeError("no file '\(path)' in memory") }
            return IncludedFile(displayName: "mem:" + path, identity: path, bytes: Array(text.utf8))
        }
    }

    func withSnapshot<Result>(version asked: String?, limits: ZoneLimits,
                              _ body: (ZoneSnapshot) -> Result) throws(ZoneSourceError) -> Result {
        let zones = files.keys.filter { $0.hasSuffix(".zone") }.sorted()
        return body(ZoneSnapshot(version: asked ?? version, files: zones.map { path in
            ZoneSourceFile(path: path, displayName: "mem:" + path, identity: path, contents: .bytes(Array(files[path]!.utf8)),
                           includes: Includes(files: files))
        }))
    }
}

@Suite struct ZoneSourceSeamTests {
    static func zone(serial: Int, extra: String = "") -> String {
        """
        @   IN SOA ns hostmaster \(serial) 3600 900 1209600 60
        @   IN NS  ns
        ns  IN A   127.0.0.1
        \(extra)
        """
    }

    @Test func theLoaderParsesWhatTheSourceGivesWithItsNamesAndVersion() throws {
        let source = InMemoryZoneSource(version: "v1", files: [
            "mem.test.zone": Self.zone(serial: 1, extra: "$INCLUDE part.inc"),
            "part.inc": "www IN A 192.0.2.1\n",
            "bad.test.zone": Self.zone(serial: 1, extra: "oops IN A nonsense"),
        ])
        let load = try ZoneSetLoader().load(from: source)
        #expect(load.version == "v1")
        #expect(load.reports.map(\.file) == ["bad.test.zone", "mem.test.zone"])
        let good = try #require(load.reports.last)
        #expect(good.succeeded)
        #expect(good.zone?.origin.description == "mem.test.")
        #expect(good.zone?.files == ["mem.test.zone", "part.inc"])
        let bad = try #require(load.reports.first?.errors.first?.description)
        #expect(bad.hasPrefix("mem:bad.test.zone:4:"), "\(bad)")
    }

    @Test func theCatalogStampsLoadsWithTheTimeAndCommitItIsGiven() async throws {
        let store = ZoneStore(ZoneSet.empty)
        let catalog = ZoneCatalog(store: store)
        let loader = ZoneSetLoader()
        let first = Date(timeIntervalSince1970: 1_800_000_000)
        let later = Date(timeIntervalSince1970: 1_800_000_600)
        let good = try loader.load(from: InMemoryZoneSource(version: "c1", files: ["t.test.zone": Self.zone(serial: 1)]))
        let broken = try loader.load(from: InMemoryZoneSource(version: "c2", files: ["t.test.zone": Self.zone(serial: 2, extra: "x IN A 1.2")]))
        #expect(await catalog.apply(good, at: first).map(\.outcome) == [.loaded])
        let failed = await catalog.apply(broken, at: later)
        #expect(failed.map(\.outcome) == [.failedKeptPrevious])
        #expect(failed.first?.commit == "c2")
        #expect(store.current.zones.first?.serial == 1)
        let entry = try #require(await catalog.allEntries.first)
        #expect(entry.loadedAt == first)
        #expect(entry.commit == "c1")
        #expect(entry.zone?.serial == 1)
        #expect(entry.lastErrors.first?.description.hasPrefix("mem:t.test.zone:4:") == true)
    }
}
