import Foundation
import Zones

/// Probing: runs one loop per probed check on its interval (first probes spread over up
/// to a second, jitter only shortening waits so detection stays within interval ×
/// threshold), with bounded concurrency, and hands every result to `record`.
actor ProbeScheduler {
    let prober: any Prober
    let limiter: AsyncSemaphore
    var tasks: [String: Task<Void, Never>] = [:]

    init(prober: any Prober, maxConcurrentProbes: Int) {
        self.prober = prober
        self.limiter = AsyncSemaphore(limit: maxConcurrentProbes)
    }

    /// Stops the loops of `restart` and of checks no longer in `checks`, and starts a loop
    /// for every probed check that has none.
    func reconcile(_ checks: [String: HealthCheckDefinition], restart: Set<String>,
                   record: @escaping @Sendable (String, ProbeResult) async -> Void) {
        for id in restart { tasks.removeValue(forKey: id)?.cancel() }
        for id in tasks.keys where checks[id] == nil { tasks.removeValue(forKey: id)?.cancel() }
        for (id, check) in checks where tasks[id] == nil && !check.disabled {
            if case .calculated = check.target { continue }
            tasks[id] = Task { [prober, limiter] in
                await ProbeScheduler.loop(check, prober: prober, limiter: limiter, record: record)
            }
        }
    }

    func stopAll() {
        for task in tasks.values { task.cancel() }
        tasks.removeAll()
    }

    static func loop(_ check: HealthCheckDefinition, prober: any Prober, limiter: AsyncSemaphore,
                     record: @Sendable (String, ProbeResult) async -> Void) async {
        let interval = Double(check.interval)
        try? await Task.sleep(for: .milliseconds(Int.random(in: 0..<min(1000, Int(interval * 1000)))))
        while !Task.isCancelled {
            await limiter.acquire()
            let result = await prober.probe(check)
            await limiter.release()
            if Task.isCancelled { return }
            await record(check.id, result)
            let wait = interval * Double.random(in: 0.9...1.0)
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
    }
}
