import Authority
import DNSServer
import Foundation
import Logging

/// Keeps the pre-signed answers (`PresignedAnswers`) current on a thread of its own, off
/// the query path: once a second it looks whether the zones were reloaded or a new
/// signature window began, and signs them again then. Health changes need nothing: every
/// set a routed name can answer with is signed whatever its health.
enum PresigningLoop {
    static func start(engine: QueryEngine, logger: Logger) {
        guard let store = engine.presigned, let keys = engine.zoneKeys else { return }
        let thread = Thread {
            while true {
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
    }
}
