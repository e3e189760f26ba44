/// The override history the API shows, kept in memory so status calls and `/metrics`
/// never read the history file: loaded once at start (from the newest `startLines`
/// changes on disk), then fed every committed change. Bounded to the last `perCheck`
/// changes of each check; the files on disk keep more, up to the rotation limit.
public struct OverrideHistory: Sendable {
    public static let defaultPerCheck = 100
    /// How many of the newest changes on disk are read at start.
    public static let startLines = 10_000

    public let perCheck: Int
    var byCheck: [String: [OverrideChange]] = [:]

    public init(perCheck: Int = OverrideHistory.defaultPerCheck) {
        self.perCheck = max(1, perCheck)
    }

    public mutating func append(_ change: OverrideChange) {
        var changes = byCheck[change.checkID, default: []]
        changes.append(change)
        // Trim in batches so a long run of changes does not shift the array every time.
        if changes.count >= perCheck * 2 { changes.removeFirst(changes.count - perCheck) }
        byCheck[change.checkID] = changes
    }

    public mutating func append(contentsOf changes: some Sequence<OverrideChange>) {
        for change in changes { append(change) }
    }

    /// The last `perCheck` changes of `id`, oldest first.
    public func changes(for id: String) -> [OverrideChange] {
        let changes = byCheck[id] ?? []
        return changes.count > perCheck ? Array(changes.suffix(perCheck)) : changes
    }
}
