import Authority
import DNSServer
import DNSWire
import Foundation
import NIOCore
import Testing
@testable import SwitchyardBench
import Zones

/// The in-process benchmark at a tiny size: it loads what it generated, answers, and
/// counts only answers that are what the generator expects.
@Suite struct InProcessBenchTests {
    static func options(routed: Bool) -> InProcessBench.Options {
        var options = InProcessBench.Options()
        options.names = 200
        options.seconds = 0.2
        options.queries = 400
        options.routed = routed
        return options
    }

    @Test func aTinyPlainRunLoadsAndAnswersEveryQueryAsExpected() throws {
        let report = try InProcessBench.run(InProcessBenchTests.options(routed: false))
        #expect(report.mode == "plain")
        #expect(report.records > 200)
        #expect(report.loadSeconds > 0)
        #expect(report.answered > 0)
        #expect(report.answersPerSecond > 0)
        #expect(report.wrong == 0, "\(report.firstWrong ?? "")")
        #expect(report.distinctQueries == 400)
        #if os(Linux)
        #expect((report.residentAfterLoad ?? 0) > 0)
        #expect((report.peakResident ?? 0) >= (report.residentAfterLoad ?? 0))
        #endif
    }

    @Test func aTinyRoutedRunAnswersItsRoutedNames() throws {
        let report = try InProcessBench.run(InProcessBenchTests.options(routed: true))
        #expect(report.mode == "routed")
        #expect(report.answered > 0)
        #expect(report.wrong == 0, "\(report.firstWrong ?? "")")
    }

    /// The query mix covers every kind of answer, and a query expecting the wrong kind
    /// is counted wrong — the check that keeps the benchmark from timing garbage.
    @Test func everyKindOfAnswerIsAskedAndAWrongExpectationIsCaught() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let zone = BenchZone(names: 300)
        try InProcessBench.write(folder + "/bench.test.zone") { zone.write(to: $0) }
        let (zones, seconds) = try InProcessBench.load(folder: folder)
        #expect(seconds > 0)
        let engine = QueryEngine(authority: Authority(), zones: ZoneStore(zones))

        let queries = zone.queries(count: 600)
        #expect(Set(queries.expected) == Set(ExpectedAnswer.allCases))
        let right = InProcessBench.answer(queries, engine: engine, seconds: 5, maximumAnswers: queries.count)
        #expect(right.answered == queries.count)
        #expect(right.wrong == 0, "\(right.firstWrong ?? "")")

        var wrong = QueryList()
        wrong.append(zone.lastName, .a, expecting: .nxdomain)
        wrong.append("nothing-here.bench.test.", .a, expecting: .answer)
        wrong.append("www.child.bench.test.", .a, expecting: .nodata)
        let caught = InProcessBench.answer(wrong, engine: engine, seconds: 5, maximumAnswers: wrong.count)
        #expect(caught.wrong == 3)
        #expect(caught.answered == 0)
        #expect(caught.firstWrong?.hasPrefix(zone.lastName) == true)
    }
}
