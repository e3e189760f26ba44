import DNSServer
import Foundation

/// The query path's hand-over point (`AnswerObserver`): routed answer counts go to the
/// status page's history, drill moves to the drill recorder. Called on event loops once
/// a second each; neither side blocks.
public final class RoutedAnswerLog: AnswerObserver {
    public let history: AnswerShareHistory
    public let recorder: DrillRecorder
    let now: @Sendable () -> Date

    public init(history: AnswerShareHistory, recorder: DrillRecorder, now: @escaping @Sendable () -> Date = { Date() }) {
        self.history = history
        self.recorder = recorder
        self.now = now
    }

    public func absorb(_ counts: [RoutedAnswerCount], moves: [DrillMoveNote]) {
        history.record(counts, at: now())
        if !moves.isEmpty { recorder.record(moves) }
    }
}
