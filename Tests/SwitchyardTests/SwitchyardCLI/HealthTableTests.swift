import AdminContract
import Foundation
@testable import SwitchyardCLI
import Testing

/// `switchyard health list` renders the typed checks as it rendered the server's JSON:
/// times as the API writes them, dashes and "none yet" for what is unset.
@Suite struct HealthTableTests {
    @Test func overriddenAndUnprobedChecksRenderAsBefore() {
        let at = Date(timeIntervalSince1970: 1_796_000_000)
        var p = AdminJSON.HealthCheck(id: "p", target: "http://192.0.2.1/health", region: "us-east-1", observed: "healthy",
                                      override: "down", overrideExpires: at + 900, overrideReason: "drill 42", overrideBy: "ops",
                                      effective: "unhealthy", lastCheckedAt: at, lastResult: "pass: HTTP 200", stale: true,
                                      inverted: false, disabled: false, interval: 10, threshold: 3, history: nil)
        let s = AdminJSON.HealthCheck(id: "s", target: "tcp://192.0.2.2:443", region: nil, observed: "healthy", override: nil,
                                      overrideExpires: nil, overrideReason: nil, overrideBy: nil, effective: "healthy",
                                      lastCheckedAt: nil, lastResult: nil, stale: false, inverted: false, disabled: false,
                                      interval: 10, threshold: 3, history: nil)
        let lines = HealthTable.render([p, s]).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].contains("down until 2026-11-30T01:08:20Z (drill 42)"), "\(lines[1])")
        #expect(lines[1].hasSuffix("pass: HTTP 200 at 2026-11-30T00:53:20Z [stale]"), "\(lines[1])")
        #expect(lines[2].split(separator: " ") == ["s", "tcp://192.0.2.2:443", "-", "healthy", "-", "healthy", "none", "yet"], "\(lines[2])")
        p.stale = false
        #expect(!HealthTable.render([p]).contains("[stale]"))
    }
}
