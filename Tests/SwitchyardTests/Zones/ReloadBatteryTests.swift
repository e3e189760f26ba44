import Authority
import DNSWire
import Foundation
import Routing
import Testing
import Zones
import ZoneSources

/// SPEC §5: the same answers after a fresh load, after a reload, and after a reload whose
/// new version is broken (the previous version keeps serving); and a removed file stops
/// being served.
@Suite struct ReloadBatteryTests {
    static func reloader(_ folder: TemporaryFolder) -> (ZoneReloader, ZoneStore) {
        let store = ZoneStore(ZoneSet.empty)
        return (ZoneReloader.folder(folder.url.path, store: store), store)
    }

    static func answers(_ store: ZoneStore) -> [String] {
        var asker = Asker(store.current)
        return AnswerTableTests.cases.map { c in
            let r = asker.ask(c.name, c.type)
            return "\(c.name) \(c.type) \(r.rcode) \(r.authoritative) \(r.answerLines.sorted()) \(r.authorityLines.sorted()) \(r.additionalLines.sorted())"
        }
    }

    static func expected() -> [String] {
        AnswerTableTests.cases.map { c in
            "\(c.name) \(c.type) \(c.rcode) \(c.authoritative) \(c.answer.sorted()) \(c.authority.sorted()) \(c.additional.sorted())"
        }
    }

    @Test func answersSurviveReloadAndFailedReload() async throws {
        let folder = try TemporaryFolder(prefix: "reload")
        defer { folder.remove() }
        let file = folder.file("example.test.zone")
        try exampleZone.write(to: file, atomically: true, encoding: .utf8)
        let (reloader, store) = Self.reloader(folder)
        let first = await reloader.reload()
        #expect(first.map(\.outcome) == [.loaded])
        #expect(Self.answers(store) == Self.expected())

        let generation = store.generation
        let second = await reloader.reload()
        #expect(second.map(\.outcome) == [.loaded])
        #expect(store.generation > generation)
        #expect(Self.answers(store) == Self.expected())

        // A broken edit: the old zone keeps answering, and the error names file, line, column.
        try (exampleZone + "\nbad IN MX ten mail\n").write(to: file, atomically: true, encoding: .utf8)
        let failed = await reloader.reload()
        #expect(failed.map(\.outcome) == [.failedKeptPrevious])
        #expect(failed.first?.errors.first?.description.hasPrefix("\(file.path):29:") == true)
        #expect(Self.answers(store) == Self.expected())
        let entry = await reloader.catalog.allEntries.first
        #expect(entry?.lastErrors.isEmpty == false)
        #expect(entry?.zone != nil)

        // Fixed again: loads, and the error is gone.
        try (exampleZone + "\nnew IN A 192.0.2.200\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(await reloader.reload().map(\.outcome) == [.loaded])
        var asker = Asker(store.current)
        #expect(asker.ask("new.example.test.", .a).answerLines == ["new.example.test. 3600 IN A 192.0.2.200"])
        #expect(await reloader.catalog.allEntries.first?.lastErrors.isEmpty == true)

        // The file is removed: the zone is no longer served.
        try FileManager.default.removeItem(at: file)
        #expect(await reloader.reload().map(\.outcome) == [.removed])
        #expect(store.current.zones.isEmpty)
    }

    @Test func otherZonesStillUpdateWhenOneFails() async throws {
        let folder = try TemporaryFolder(prefix: "reload2")
        defer { folder.remove() }
        let other = """
        $TTL 60
        @ IN SOA ns.other.test. h.other.test. 1 2 3 4 5
        @ IN NS ns
        ns IN A 192.0.2.9
        """
        try exampleZone.write(to: folder.file("example.test.zone"), atomically: true, encoding: .utf8)
        try other.write(to: folder.file("other.test.zone"), atomically: true, encoding: .utf8)
        let (reloader, store) = Self.reloader(folder)
        await reloader.reload()
        try (exampleZone + "\n( unbalanced\n").write(to: folder.file("example.test.zone"), atomically: true, encoding: .utf8)
        try (other + "\nnew IN A 192.0.2.10\n").write(to: folder.file("other.test.zone"), atomically: true, encoding: .utf8)
        let results = await reloader.reload()
        #expect(results.map(\.outcome) == [.failedKeptPrevious, .loaded])
        var asker = Asker(store.current)
        #expect(asker.ask("new.other.test.", .a).answerLines == ["new.other.test. 60 IN A 192.0.2.10"])
        #expect(asker.ask("www.example.test.", .a).answer.count == 1)
    }
}
