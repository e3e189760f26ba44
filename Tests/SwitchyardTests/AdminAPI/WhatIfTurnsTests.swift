import Testing

@testable import AdminAPI

/// One what-if at a time: a second waits for the first, and beyond the waiting limit a
/// request is refused rather than queued.
@Suite struct WhatIfTurnsTests {
    @Test func aSecondWhatIfWaitsForTheFirstAndTooManyAreRefused() async throws {
        let turns = WhatIfTurns(maximumWaiting: 1)
        #expect(await turns.acquire())
        let second = Task { await turns.acquire() }
        // The second is queued once the actor has it; until then a third could take its
        // place, so wait until the queue holds it (bounded).
        var waiting = 0
        for _ in 0..<1000 where waiting == 0 {
            waiting = await turns.waitingCount
            if waiting == 0 { await Task.yield() }
        }
        #expect(waiting == 1)
        #expect(await turns.acquire() == false)
        await turns.release()
        #expect(await second.value)
        await turns.release()
        // Free again: the next one runs at once.
        #expect(await turns.acquire())
        await turns.release()
    }
}
