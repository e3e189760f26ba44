import Drills
import ServiceLifecycle

/// Saves the drill recorder's measurements in the background while serving, and once
/// more at shutdown.
struct DrillRecorderService: Service {
    let recorder: DrillRecorder

    func run() async throws {
        let saving = Task { await recorder.run() }
        try? await gracefulShutdown()
        saving.cancel()
        await recorder.save()
    }
}
