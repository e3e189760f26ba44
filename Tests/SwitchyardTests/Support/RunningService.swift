import Logging
import ServiceLifecycle

/// A server (a Hummingbird application) run in a service group for a test, so that it can
/// be stopped gracefully: cancelling its task at once could drop a connection accepted
/// but not yet handed to the server, which traps in NIO ("Deinited NIOAsyncWriter without
/// calling finish()", swift-nio #2637) — a browser's or a health checker's connection
/// arriving at the wrong moment is enough.
struct RunningService: Sendable {
    let group: ServiceGroup
    let task: Task<Void, any Error>

    static func start(_ service: some Service, label: String) -> RunningService {
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [], logger: Logger(label: label)))
        return RunningService(group: group, task: Task { try await group.run() })
    }

    /// Stops gracefully (the listening socket closes first), then cancels whatever still
    /// runs after two seconds (a request that hangs on purpose).
    func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let deadline = Task {
            try await Task.sleep(for: .seconds(2))
            task.cancel()
        }
        _ = await task.result
        deadline.cancel()
    }
}
