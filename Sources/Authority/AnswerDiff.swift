import DNSWire
import Routing
import Zones

/// Previews a change of zones answer by answer: for every owner name of either version,
/// every type it holds in either, and every client network, asks `Authority` — the code
/// the server answers with — in both versions and reports what a client would be told
/// differently. Answers are computed with every health check healthy: a diff is about
/// the zones' content, not the live health.
public struct AnswerDiff: Sendable {
    public let old: ZoneSet
    public let new: ZoneSet
    /// The networks asked (one unlocated client when none were given).
    public let clients: [ClientNetwork]
    public let locator: any ClientLocator
    /// The random grid per question (see `AnswerDistribution`).
    public let samples: Int

    public init(old: ZoneSet, new: ZoneSet, clients: [ClientNetwork] = [.anyClient],
                locator: any ClientLocator = NoLocator(), samples: Int = AnswerDistribution.standardSamples) {
        self.old = old
        self.new = new
        self.clients = clients.isEmpty ? [.anyClient] : clients
        self.locator = locator
        self.samples = samples
    }

    public func compare() -> AnswerDiffReport {
        let authority = Authority(locator: locator)
        let oldSnapshot = Authority.Snapshot(zones: old, health: AllHealthy())
        let newSnapshot = Authority.Snapshot(zones: new, health: AllHealthy())
        let oldLines = ZoneRecordLines(old)
        let newLines = ZoneRecordLines(new)
        var changes: [AnswerChange] = []
        var changedTypes: Set<QuestionKey> = []
        for key in questions(oldLines, newLines) {
            let question = Question(name: key.name, type: key.type)
            // Each distinct change once, with every network that sees it, in client order.
            var grouped: [(old: AnswerDistribution, new: AnswerDistribution, clients: [String])] = []
            var oldSide = AnswerSide(question: question, authority: authority, snapshot: oldSnapshot, samples: samples)
            var newSide = AnswerSide(question: question, authority: authority, snapshot: newSnapshot, samples: samples)
            for client in clients {
                let context = client.context
                let before = oldSide.distribution(for: context)
                let after = newSide.distribution(for: context)
                guard before != after else { continue }
                if let i = grouped.firstIndex(where: { $0.old == before && $0.new == after }) {
                    grouped[i].clients.append(client.name)
                } else {
                    grouped.append((before, after, [client.name]))
                }
            }
            if !grouped.isEmpty { changedTypes.insert(key) }
            for change in grouped {
                changes.append(AnswerChange(name: "\(key.name)", type: "\(key.type)", clients: change.clients, old: change.old, new: change.new))
            }
        }
        var unreached: [RecordChange] = []
        for key in Set(oldLines.lines.keys).union(newLines.lines.keys).sorted() {
            let before = oldLines.lines[key] ?? [], after = newLines.lines[key] ?? []
            guard before != after else { continue }
            let answered = key.type.map { [QuestionKey(name: key.name, type: $0)] }
                ?? [QuestionKey(name: key.name, type: .a), QuestionKey(name: key.name, type: .aaaa)]
            guard !answered.contains(where: changedTypes.contains) else { continue }
            unreached.append(RecordChange(name: "\(key.name)", type: key.type.map { "\($0)" } ?? "ALIAS",
                                          removed: before.filter { !after.contains($0) }, added: after.filter { !before.contains($0) }))
        }
        return AnswerDiffReport(changes: changes, unreachedChanges: unreached)
    }

    /// Every name and type either version holds, ALIAS sets asked as A and AAAA, in
    /// canonical name order.
    func questions(_ old: ZoneRecordLines, _ new: ZoneRecordLines) -> [QuestionKey] {
        var keys: Set<QuestionKey> = []
        for key in Array(old.lines.keys) + Array(new.lines.keys) {
            if let type = key.type {
                keys.insert(QuestionKey(name: key.name, type: type))
            } else {
                keys.insert(QuestionKey(name: key.name, type: .a))
                keys.insert(QuestionKey(name: key.name, type: .aaaa))
            }
        }
        return keys.sorted()
    }
}

/// One question in one version, asked per client until an answer shows that the client
/// does not matter; then that answer stands for every client of the same address family
/// (a weighted group is then tallied once, not once per network). Per family, because
/// the lookup tables are: a table with no IPv6 blocks tells IPv6 clients apart by no
/// bits at all (scope 0) while IPv4 clients still differ.
struct AnswerSide {
    let question: Question
    let authority: Authority
    let snapshot: Authority.Snapshot
    let samples: Int
    /// By family: IPv4 first, IPv6 second.
    var forEveryClient: [AnswerDistribution?] = [nil, nil]

    mutating func distribution(for client: ClientContext) -> AnswerDistribution {
        let family: Int
        if case .v4 = client.prefix.address { family = 0 } else { family = 1 }
        if let known = forEveryClient[family] { return known }
        let (distribution, dependsOnClient) = AnswerDistribution.tally(question, client: client, authority: authority, snapshot: snapshot, samples: samples)
        if !dependsOnClient { forEveryClient[family] = distribution }
        return distribution
    }
}

/// A name and query type, ordered canonically.
struct QuestionKey: Hashable, Comparable {
    var name: DomainName
    var type: RecordType

    static func < (a: QuestionKey, b: QuestionKey) -> Bool {
        a.name != b.name ? a.name < b.name : a.type.rawValue < b.type.rawValue
    }
}
