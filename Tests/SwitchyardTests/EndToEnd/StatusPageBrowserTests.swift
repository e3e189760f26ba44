import DNSWire
import Foundation
import Testing

extension BrowserSuites {
    /// SPEC §8: the status page at `/`, in a real headless browser against the built binary:
    /// it follows an override made through the API within 2 s, draws a screen that is not
    /// blank, requests nothing outside the admin API, and says so when the server goes away.
    @Suite(.serialized, .enabled(if: Chromium.available, "chromium is missing (Debian package chromium)")) struct StatusPageBrowserTests {
        /// The backends answer from this test process's task pool, which the suite's
        /// synchronous tests can hold for seconds; with checks that failed after two missed
        /// one-second probes, the standby went down, and the override of the primary was
        /// refused (409: no healthy set left). The page's following of an override does not
        /// depend on probing, so the checks here tolerate 50 s of missed probes.
        static func zone(primary: HTTPBackend, secondary: HTTPBackend) -> String {
            """
            $ORIGIN page.test.
            $TTL 60
            @   IN SOA ns hostmaster 1 3600 900 1209600 60
            @   IN NS  ns
            ns  IN A   127.0.0.1
            $HEALTHCHECK p \(primary.url) interval=5s timeout=2s threshold=10 region=us-east-1
            $HEALTHCHECK s \(secondary.url) interval=5s timeout=2s threshold=10 region=eu-west-1
            app [failover id=primary role=primary health=p]   60 IN A 192.0.2.1
            app [failover id=standby role=secondary health=s] 60 IN A 192.0.2.2
            """
        }

        /// What the page shows for one check, read from its row's data attributes.
        struct CheckRow: Decodable, Sendable, Equatable {
            var effective: String
            var override: String
            var connection: String
        }

        static func row(_ id: String) -> String {
            """
            (() => { const r = document.querySelector('[data-check="\(id)"]'), c = document.getElementById("conn");
                     return r && c ? { effective: r.dataset.effective, override: r.dataset.override, connection: c.dataset.state } : null; })()
            """
        }

        /// Evaluates `expression` every 100 ms until it gives `expected`, up to `limit`; how
        /// long it took, or nil.
        static func waitFor<T: Decodable & Sendable & Equatable>(_ browser: Chromium, _ expression: String, toBe expected: T,
                                                                 within limit: Duration) async throws -> Duration? {
            let started = ContinuousClock.now
            for _ in 0..<Int(limit.seconds * 10) + 1 {
                if try await browser.evaluate(expression, as: T?.self) == expected { return ContinuousClock.now - started }
                if ContinuousClock.now - started > limit { return nil }
                try await Task.sleep(for: .milliseconds(100))
            }
            return nil
        }

        @Test func pageFollowsAnOverrideWithinTwoSecondsAndDrawsAScreen() async throws {
            let primary = try await HTTPBackend.start(host: "127.0.0.81")
            let secondary = try await HTTPBackend.start(host: "127.0.0.82")
            let folder = try TemporaryFolder(prefix: "page")
            defer { folder.remove() }
            try folder.writeZone(Self.zone(primary: primary, secondary: secondary), as: "page.test.zone")
            // With a token: the page still reads without one.
            let token = "page-test-token"
            try token.write(to: folder.file("token"), atomically: true, encoding: .utf8)
            let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("page.test.", .soa),
                                                        extraArguments: ["--admin-token-file", folder.file("token").path])
            defer { sy.stop() }
            do {
                try await Chromium.with(width: 1280, height: 900) { try await exercise($0, sy, token: token) }
            } catch {
                await primary.stop()
                await secondary.stop()
                throw error
            }
            await primary.stop()
            await secondary.stop()
        }

        /// Records every Content-Security-Policy violation in the page, so a test can show the
        /// page never even tried to load from elsewhere (a blocked request leaves no resource
        /// entry).
        /// Script errors are recorded too: the page must render without one.
        static let violationRecorder = """
            window.cspViolations = [];
            window.pageErrors = [];
            document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(e.blockedURI + " " + e.violatedDirective));
            window.addEventListener("error", (e) => window.pageErrors.push(String(e.message)));
            window.addEventListener("unhandledrejection", (e) => window.pageErrors.push(String(e.reason)));
            """

        func exercise(_ browser: Chromium, _ sy: SwitchyardProcess, token: String) async throws {
            try await browser.addScriptOnLoad(Self.violationRecorder)
            try await browser.navigate(sy.admin + "/")
            let healthy = CheckRow(effective: "healthy", override: "", connection: "live")
            let shown = try await Self.waitFor(browser, Self.row("p"), toBe: healthy, within: .seconds(15))
            #expect(shown != nil, "the page never showed p healthy; browser output:\n\(browser.output)")

            // The override, through the API with the token; the clock starts at its answer.
            let body = #"{"state":"down","for":"10m","reason":"status page test"}"#
            let write = try await RawHTTP.exchange(port: sy.adminPort, RawHTTP.request(
                "PUT", "/v1/health-checks/p/override", host: "127.0.0.1:\(sy.adminPort)",
                headers: ["Authorization: Bearer \(token)", "Content-Type: application/json", "Connection: close"], body: body))
            let answered = ContinuousClock.now
            #expect(write.status == 200, "\(write.body)")
            let down = CheckRow(effective: "unhealthy", override: "down", connection: "live")
            let followed = try await Self.waitFor(browser, Self.row("p"), toBe: down, within: .seconds(5))
            let took = followed.map { _ in ContinuousClock.now - answered }
            #expect(took != nil, "the page did not show p down within 5 s")
            if let took {
                print("status page showed the override \(String(format: "%.2f", took.seconds)) s after the write's answer (bound 2 s)")
                #expect(took < .seconds(2))
            }
            // The reason, the countdown and the region follow too.
            let details = try await browser.evaluate("""
                [document.querySelector('[data-check="p"]').textContent.includes("status page test"),
                 /^9:[0-5][0-9]$|^10:00$/.test(document.querySelector('[data-check="p"] [data-seconds-left]').textContent),
                 document.querySelector('[data-region="us-east-1"]').dataset.level,
                 document.querySelector('[data-region="eu-west-1"]').dataset.level,
                 document.getElementById("no-drill") !== null]
                """, as: [AnyScalar].self)
            #expect(details == [.bool(true), .bool(true), .string("none"), .string("all"), .bool(true)])

            // Everything the page requested came from the admin API's own origin.
            let requests = try await browser.evaluate("""
                ({ origin: location.origin,
                   urls: performance.getEntriesByType("resource").concat(performance.getEntriesByType("navigation")).map(e => e.name) })
                """, as: Requests.self)
            #expect(requests.urls.count >= 3, "\(requests.urls)")
            #expect(requests.urls.allSatisfy { $0 == requests.origin + "/" || $0.hasPrefix(requests.origin + "/v1/status") }, "\(requests.urls)")
            #expect(try await browser.evaluate("window.cspViolations", as: [String].self) == [])
            #expect(try await browser.evaluate("window.pageErrors", as: [String].self) == [])
            // The recorder works, and the policy holds in the browser: a request elsewhere is blocked.
            let blocked = try await browser.evaluate(#"fetch("http://127.0.0.9:9/").then(() => "loaded", (e) => "blocked")"#, as: String.self)
            #expect(blocked == "blocked")
            let recorded = try await Self.waitFor(browser, "window.cspViolations.length", toBe: 1, within: .seconds(2))
            #expect(recorded != nil, "the blocked request was not reported as a violation")

            try await checkScreenshot(browser, keep: ProcessInfo.processInfo.environment["STATUS_PAGE_SCREENSHOT"])

            // The server goes away: the page marks itself disconnected and fades what it shows.
            sy.stop()
            let stale = try await Self.waitFor(browser, #"document.getElementById("conn").dataset.state + " " + document.querySelector("main").className"#,
                                               toBe: "stale stale", within: .seconds(8))
            #expect(stale != nil, "the page did not mark itself stale after the server stopped")
        }

        /// Decodes the screenshot in the browser itself (image → canvas → pixels) and counts
        /// its colours: a blank or unstyled page has a handful and one colour nearly everywhere.
        /// `keep`: a path to save the PNG at, for a person to look at.
        func checkScreenshot(_ browser: Chromium, keep: String?) async throws {
            let png = try await browser.screenshot()
            if let keep, let bytes = Data(base64Encoded: png) { try bytes.write(to: URL(fileURLWithPath: keep)) }
            let pixels = try await browser.evaluate("""
                (async () => {
                  const image = new Image();
                  image.src = "data:image/png;base64,\(png)";
                  await image.decode();
                  const canvas = document.createElement("canvas");
                  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
                  const context = canvas.getContext("2d");
                  context.drawImage(image, 0, 0);
                  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
                  const counts = new Map();
                  for (let i = 0; i < data.length; i += 4) {
                    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
                    counts.set(key, (counts.get(key) || 0) + 1);
                  }
                  return { width: canvas.width, height: canvas.height, colours: counts.size,
                           commonest: Math.max(...counts.values()), white: counts.get(0xffffff) || 0 };
                })()
                """, as: Pixels.self, timeout: .seconds(20))
            let total = pixels.width * pixels.height
            print("status page screenshot: \(pixels.width)×\(pixels.height), \(pixels.colours) colours, "
                  + "commonest \(100 * pixels.commonest / max(1, total))%, white \(100 * pixels.white / max(1, total))%")
            #expect(pixels.width == 1280 && pixels.height == 900)
            #expect(pixels.colours >= 50)
            #expect(pixels.commonest * 10 < total * 9, "one colour covers over 90% of the screen")
            #expect(pixels.white * 2 < total, "over half the screen is white")
        }

        struct Requests: Decodable, Sendable {
            var origin: String
            var urls: [String]
        }

        struct Pixels: Decodable, Sendable {
            var width: Int
            var height: Int
            var colours: Int
            var commonest: Int
            var white: Int
        }
    }
}

/// A JSON scalar from the page (strings and booleans are all these tests read).
enum AnyScalar: Decodable, Sendable, Equatable {
    case bool(Bool)
    case string(String)
    case number(Double)
    case null

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() { self = .null }
        else if let bool = try? value.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? value.decode(Double.self) { self = .number(number) }
        else { self = .string(try value.decode(String.self)) }
    }
}
