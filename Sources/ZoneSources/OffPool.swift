import Dispatch
import Zones

/// Runs blocking source work (files, git) on a thread of its own, off the concurrency pool
/// that answers the admin API and runs the server's tasks, and hands back its outcome.
public func offPool<Value: Sendable>(_ work: @escaping @Sendable () throws(ZoneSourceError) -> Value) async -> Result<Value, ZoneSourceError> {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            do throws(ZoneSourceError) {
                continuation.resume(returning: .success(try work()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
    }
}
