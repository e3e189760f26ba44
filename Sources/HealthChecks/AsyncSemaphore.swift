/// A counting semaphore for tasks: at most `limit` hold it at once, the others wait in
/// order. Bounds concurrent probes (so hundreds of checks never open hundreds of
/// connections at once) and, with a limit of 1, gives overrides changes one turn at a time
/// (the monitor actor is re-entered while a write is in flight).
actor AsyncSemaphore {
    let limit: Int
    var inUse = 0
    var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = max(1, limit) }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
