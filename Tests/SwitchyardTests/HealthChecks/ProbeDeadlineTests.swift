import Foundation
import HealthChecks
import Logging
import NIOPosix
import Synchronization
import Testing
import ZoneFile
import Zones

/// SPEC §5: one deadline covers a whole probe (connect, status, body), so a target that
/// trickles its body can neither hang a probe nor hold the probe slots.
@Suite struct ProbeDeadlineTests {
    static func check(_ id: String, url host: String, port: UInt16, match: String?, timeout: UInt32 = 1) -> HealthCheckDefinition {
        var check = HealthCheckDefinition(id: id, target: .http(host: host, port: Int(port), path: "/health"),
                                          location: SourceLocation(file: "t", line: 1, column: 1))
        check.match = match
        check.timeout = timeout
        check.interval = 1
        check.threshold = 1
        return check
    }

    @Test func aTricklingBodyFailsTheProbeAtTheWholeProbeDeadline() async throws {
        let target = try TricklingHTTPServer()
        defer { target.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let prober = NetworkProber(group: group)
        // timeout 2 s (the default): a byte every 200 ms never lets the read timeout fire.
        let check = Self.check("trickle", url: "127.0.0.1", port: target.port, match: "READY", timeout: 2)
        let deadline = NetworkProber.deadline(for: check)
        #expect(deadline == .seconds(6))
        let started = ContinuousClock.now
        let result = await prober.probe(check)
        let elapsed = ContinuousClock.now - started
        #expect(result.outcome == .failed)
        // The whole-probe deadline ends it, or, when the test process's threads are all busy
        // with other suites, the client's own deadline for the head; never the target.
        #expect(result.reason.contains("body not complete within the 6s deadline") || result.reason.contains("within the timeout"),
                "\(result.reason)")
        // Bytes kept coming every 200 ms for 60 s: without the deadline the probe lasted
        // until the target stopped (60 s). The bound is loose for a loaded test machine.
        #expect(elapsed >= deadline - .milliseconds(100))
        #expect(elapsed < .seconds(30), "took \(elapsed)")
        #expect(target.connections.load(ordering: .relaxed) == 1)
        await prober.shutdown()
        try await group.shutdownGracefully()
    }

    /// Forwards to the network prober and reports every result, so the test awaits them.
    struct ReportingProber: Prober {
        let base: NetworkProber
        let results: AsyncStream<(String, ProbeResult)>.Continuation

        func probe(_ check: HealthCheckDefinition) async -> ProbeResult {
            let result = await base.probe(check)
            results.yield((check.id, result))
            return result
        }
    }

    @Test func aTricklingTargetDoesNotHoldTheProbeSlots() async throws {
        let target = try TricklingHTTPServer()
        defer { target.stop() }
        let healthy = try await HTTPBackend.start(host: "127.0.0.71")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let network = NetworkProber(group: group)
        let (stream, continuation) = AsyncStream.makeStream(of: (String, ProbeResult).self)
        // One probe slot: while the trickling probe holds it, nothing else is probed.
        let monitor = HealthMonitor(store: HealthStore(), overrideStore: nil,
                                    prober: ReportingProber(base: network, results: continuation),
                                    logger: Logger(label: "t"), maxConcurrentProbes: 1)
        await monitor.update([Self.check("trickle", url: "127.0.0.1", port: target.port, match: "READY"),
                              // A healthy target's answer may be slow on a busy machine: only the
                              // trickling probe's deadline is under test.
                              Self.check("app", url: healthy.host, port: UInt16(healthy.port), match: nil, timeout: 5)])
        await monitor.start()
        let counts = await withTaskGroup(of: [String: Int]?.self) { group in
            group.addTask {
                var counts: [String: Int] = [:]
                for await (id, result) in stream {
                    if id == "trickle" { #expect(result.outcome == .failed) } else { #expect(result.passed) }
                    counts[id, default: 0] += 1
                    // The healthy check probed again after a trickling probe ended.
                    if id == "app" && counts["trickle", default: 0] >= 1 { counts["app after trickle", default: 0] += 1 }
                    if counts["app after trickle", default: 0] >= 1 { return counts }
                }
                return counts
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(25))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            continuation.finish()
            return first
        }
        // The trickling probe ended at its deadline and gave the slot back: the healthy
        // check kept getting results.
        #expect(counts?["trickle"] ?? 0 >= 1, "\(String(describing: counts))")
        #expect(counts?["app after trickle"] ?? 0 >= 1, "\(String(describing: counts))")
        #expect(monitor.store.current.isHealthy("app"))
        await monitor.stop()
        await network.shutdown()
        try await group.shutdownGracefully()
        await healthy.stop()
    }
}
