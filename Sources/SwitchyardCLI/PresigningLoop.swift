import Authority
import DNSServer
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the pre-signed answers (`PresignedAnswers`) current on a thread of its own, off
/// the query path: once a second it looks whether the zones were reloaded or a new
/// signature window began, and signs them again then. Health changes need nothing: every
/// set a routed name can answer with is signed whatever its health. The thread starts
/// before the server answers (so the first queries find the signatures made) and, as a
/// service of the server's group, leaves its loop at the next check after shutdown.
final class PresigningLoop: Service, Sendable {
    private let stopped = Atomic<Bool>(false)

    private init() {}

    /// Starts the thread; nil when no zone is signed.
    static func start(engine: QueryEngine, logger: Logger) -> PresigningLoop? {
        guard let store = engine.presigned, let keys = engine.zoneKeys else { return nil }
        let loop = PresigningLoop()
        let thread = Thread {
            while !loop.stopped.load(ordering: .relaxed) {
                let zones = engine.zones.current
                let started = ContinuousClock.now
                if store.refresh(zones: zones, keys: keys, now: UInt32(truncatingIfNeeded: time(nil))) {
                    let took = ContinuousClock.now - started
                    logger.info("DNSSEC: \(store.current.count) answer(s) signed ahead in \(took)")
                }
                sleep(1)
            }
        }
        thread.name = "presigning"
        thread.start()
        return loop
    }

    func run() async throws {
        try? await gracefulShutdown()
        stopped.store(true, ordering: .relaxed)
    }
}
