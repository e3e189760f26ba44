import AdminAPI
import AdminContract
import Foundation
import Hummingbird
import Logging
import Testing

extension BrowserSuites {
    /// SPEC §8: the status page draws what `/v1/status` says — each routed name's answer
    /// shares as stacked columns with a legend, the empty states, and the drill with its
    /// timeline — in a real headless browser, over the admin routes with given feeds.
    @Suite(.serialized, .enabled(if: Chromium.available, "chromium is missing (Debian package chromium)")) struct StatusPageRenderingTests {
        /// app: 30 buckets of 3 primary + 1 standby, then 10 of 4 standby (90 and 70 of 160
        /// answers: 56% and 44%); quiet: nothing in the window.
        static func names(now: Date) -> [AdminJSON.StatusName] {
            let start = now.addingTimeInterval(-200)
            let buckets = (0..<40).map { i in
                AdminJSON.StatusBucket(start: start.addingTimeInterval(Double(i * 5)),
                                       counts: i < 30 ? ["primary": 3, "standby": 1] : ["standby": 4])
            }
            return [AdminJSON.StatusName(name: "app.admin.test.", type: "A", policy: "failover", sets: ["primary", "standby"], buckets: buckets),
                    AdminJSON.StatusName(name: "quiet.admin.test.", type: "A", policy: "weighted", sets: ["a", "b"], buckets: [])]
        }

        static func drill(now: Date) -> AdminJSON.DrillReport {
            let started = now.addingTimeInterval(-60)
            return AdminJSON.DrillReport(
                name: "gameday", regions: ["us-east-1"], checks: ["p"], reason: "<b>quarterly</b>", requestedBy: "ops", state: "running",
                startedAt: started, endsAt: started.addingTimeInterval(900), endedAt: nil, revision: 4,
                applied: [.init(instance: "local", at: started, offset: 0.05)],
                moves: [.init(name: "app.admin.test.", type: "A", instance: "local", at: started.addingTimeInterval(1.2), offset: 1.2,
                              from: "primary", to: "standby", ttl: 60, cacheDroppedAt: started.addingTimeInterval(61.2), cacheDroppedOffset: 61.2)],
                notSeenMoving: [], healthChanges: [], cacheDroppedAt: started.addingTimeInterval(61.2), cacheDroppedOffset: 61.2,
                timeline: [.init(at: started, offset: 0, kind: "start", text: "drill gameday started"),
                           .init(at: started, offset: 0.05, kind: "applied", text: "local applied the overrides"),
                           .init(at: started.addingTimeInterval(1.2), offset: 1.2, kind: "moved", text: "app.admin.test. A: primary → standby")])
        }

        /// What the page drew, read back from its DOM.
        struct Drawn: Decodable, Sendable {
            var columns: Int
            var primaryColours: [String]
            var standbyColours: [String]
            var lastColumn: [String]
            var legend: String
            var quiet: String
            var drillState: String
            var timeline: [String]
            var moves: Int
            var reasonIsText: Bool
            var endsIn: String
            var errors: [String]
        }

        static let read = """
            (() => {
              const app = document.querySelector('[data-name="app.admin.test."]');
              if (!app || !document.getElementById("drill-name")) return null;
              const rects = [...app.querySelectorAll("rect")];
              const xs = [...new Set(rects.map(r => Number(r.getAttribute("x"))))].sort((a, b) => a - b);
              const last = xs[xs.length - 1];
              return {
                columns: xs.length,
                primaryColours: [...new Set(rects.filter(r => r.dataset.set === "primary").map(r => r.getAttribute("fill")))],
                standbyColours: [...new Set(rects.filter(r => r.dataset.set === "standby").map(r => r.getAttribute("fill")))],
                lastColumn: rects.filter(r => Number(r.getAttribute("x")) === last).map(r => r.dataset.set + " " + r.getAttribute("height")),
                legend: app.querySelector(".legend").textContent,
                quiet: document.querySelector('[data-name="quiet.admin.test."]').textContent,
                drillState: document.getElementById("drill-name").dataset.state,
                timeline: [...document.querySelectorAll("#timeline li")].map(li => li.dataset.kind),
                moves: document.querySelectorAll("#drill-moves [data-move]").length,
                reasonIsText: document.getElementById("drill").textContent.includes("<b>quarterly</b>"),
                endsIn: document.querySelector("#drill [data-seconds-left]").textContent,
                errors: window.pageErrors
              };
            })()
            """

        @Test func chartsAndDrillAreDrawnFromTheStatus() async throws {
            let fixture = try await AdminRoutesTests.fixture()
            let feeds = StatusFeeds(names: { Self.names(now: $0) }, drill: { Self.drill(now: Date()) })
            let router = AdminRoutes.router(backend: fixture.backend, token: nil, status: feeds)
            let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: Logger(label: "status"))
            let server = RunningService.start(app, label: "status")
            var ports = stream.makeAsyncIterator()
            guard let port = await ports.next() else {
                await server.stop()
                throw CancellationError()
            }

            let drawn: Drawn?
            do {
                drawn = try await Chromium.with { browser -> Drawn? in
                    try await browser.addScriptOnLoad(StatusPageBrowserTests.violationRecorder)
                    try await browser.navigate("http://127.0.0.1:\(port)/")
                    for _ in 0..<100 {
                        if let drawn = try await browser.evaluate(Self.read, as: Drawn?.self) { return drawn }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    return nil
                }
            } catch {
                await server.stop()
                throw error
            }
            let page = try #require(drawn, "the page drew no chart within 10 s")
            // 40 buckets in the window, each its own column; one colour per set, distinct.
            #expect(page.columns == 40)
            #expect(page.primaryColours.count == 1 && page.standbyColours.count == 1)
            #expect(page.primaryColours != page.standbyColours)
            // The newest column is all standby, full height (96 of 96).
            #expect(page.lastColumn == ["standby 96.00"])
            #expect(page.legend.contains("primary 56%") && page.legend.contains("standby 44%"), "\(page.legend)")
            #expect(page.quiet.contains("no queries in the last 5 minutes"))
            #expect(page.drillState == "running")
            #expect(page.timeline == ["start", "applied", "moved"])
            #expect(page.moves == 1)
            // Operator text is shown as text, never parsed as markup.
            #expect(page.reasonIsText)
            // The drill ends 900 s after it started 60 s ago: about 14 minutes left, counting down.
            #expect(["14:00", "13:59", "13:58"].contains(page.endsIn), "\(page.endsIn)")
            #expect(page.errors == [])
            await server.stop()
            try await fixture.close()
        }
    }
}
