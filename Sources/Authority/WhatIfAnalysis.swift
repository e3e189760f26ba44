import Dispatch
import DNSWire
import Routing
import Zones

/// Previews a change of health before anyone makes it (`switchyard whatif`): for every
/// routed name and type, the share of client networks answered from each routed set now
/// (`before`) and under the assumed health (`after`), who moves where, and the names
/// that would be left with no healthy set. It asks `Authority` — the code the server
/// answers with — and changes nothing.
///
/// The networks are folded into `ClientClasses` (see there for the assumption that
/// makes that exact), each question is asked once per class its policy can tell apart,
/// and random policies are tallied by `RoutedSetTally`. A question whose group sees the
/// same health for every set before and after is asked once: its answers cannot change.
/// Questions are spread over the cores; the result does not depend on how.
public struct WhatIfAnalysis: Sendable {
    public let zones: ZoneSet
    public let locator: any ClientLocator
    /// The networks counted (one unlocated client when none are given).
    public let clients: [ClientNetwork]

    public init(zones: ZoneSet, locator: any ClientLocator = NoLocator(), clients: [ClientNetwork] = [.anyClient]) {
        self.zones = zones
        self.locator = locator
        self.clients = clients.isEmpty ? [.anyClient] : clients
    }

    /// One question to preview: its owner's group and where it sits.
    struct Question: Sendable {
        var key: QuestionKey
        var group: RoutedGroup
        var zoneIndex: Int
    }

    public func run(before: any HealthView, after: any HealthView) -> WhatIfReport {
        let started = ContinuousClock.now
        let classes = ClientClasses(networks: clients, zones: zones, locator: locator)
        let questions = routedQuestions()
        let authority = Authority(locator: locator)
        let now = Authority.Snapshot(zones: zones, health: before)
        let then = Authority.Snapshot(zones: zones, health: after)
        let left = Set(HealthImpact.namesLosingEveryHealthySet(zones: zones, before: before, after: after))
        // Partitions are shared by every question of the same dimension: built first.
        var partitions: [ClientClasses.Dimension: [ClientClasses.Part]] = [:]
        let dimensions = questions.map { classes.dimension(of: $0.group) }
        for dimension in dimensions where partitions[dimension] == nil { partitions[dimension] = classes.partition(dimension) }

        let partitionOf = partitions
        let shared = ResultSlots<(WhatIfReport.Name, Int)>(count: questions.count)
        let chunks = min(questions.count, 64)
        let population = Double(classes.population)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var index = chunk
            while index < questions.count {
                let question = questions[index]
                let parts = partitionOf[dimensions[index]] ?? []
                shared.buffer[index] = preview(question, parts: parts, population: population, authority: authority,
                                               now: now, then: then, left: left)
                index += chunks
            }
        }
        var names: [WhatIfReport.Name] = []
        var asked = 0
        for entry in shared.buffer { if let (name, count) = entry { names.append(name); asked += count } }
        return WhatIfReport(names: names, namesWithoutHealthySet: left.sorted(), clients: classes.population,
                            classes: classes.members.count, questionsAsked: asked,
                            elapsedSeconds: WhatIfAnalysis.seconds(ContinuousClock.now - started))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One question over its partition: the report line and how many asks it took.
    func preview(_ question: Question, parts: [ClientClasses.Part], population: Double, authority: Authority,
                 now: Authority.Snapshot, then: Authority.Snapshot, left: Set<String>) -> (WhatIfReport.Name, Int) {
        let dnsQuestion = DNSWire.Question(name: question.key.name, type: question.key.type)
        let unchanged = sameHealth(question, now: now, then: then)
        var ledger = ShareLedger()
        var asked = 0
        for part in parts {
            let before = RoutedSetTally.tally(dnsQuestion, client: part.representative, authority: authority, snapshot: now)
            let after = unchanged ? before : RoutedSetTally.tally(dnsQuestion, client: part.representative, authority: authority, snapshot: then)
            asked += unchanged ? 1 : 2
            ledger.add(weight: Double(part.weight) / population, now: before.fractions, then: after.fractions)
        }
        let label = question.group.type?.mnemonic ?? "ALIAS"
        let name = WhatIfReport.Name(
            name: "\(question.key.name)", type: "\(question.key.type)", policy: question.group.policy,
            before: ShareLedger.ordered(ledger.before), after: ShareLedger.ordered(ledger.after), moves: ledger.orderedMoves,
            leftWithoutHealthySet: left.contains("\(question.key.name) \(label)"))
        return (name, asked)
    }

    /// Whether every set of the question's group is as healthy after as before (its own
    /// check, and an evaluated ALIAS target's answer through any depth) and none is an
    /// ALIAS: then the policy sees the same inputs and gives the same answer. An ALIAS set
    /// keeps its health while its target's own choice moves (a geolocation default that
    /// aliases a latency name), and that choice is part of the answer set.
    func sameHealth(_ question: Question, now: Authority.Snapshot, then: Authority.Snapshot) -> Bool {
        if question.group.hasAliasSet { return false }
        var was = GroupHealth(type: question.key.type, tables: now.setHealth, zoneIndex: question.zoneIndex)
        var will = GroupHealth(type: question.key.type, tables: then.setHealth, zoneIndex: question.zoneIndex)
        return !HealthImpact.setsChangeHealth(question.group, &was, &will)
    }

    /// Every name and type with a routed group (not simple), ALIAS groups as A and AAAA,
    /// each with the group that answers it there; in canonical order.
    func routedQuestions() -> [Question] {
        var found: [QuestionKey: Question] = [:]
        for (zoneIndex, zone) in zones.zones.enumerated() {
            for node in zone.trie.nodes where node.cut < 0 {
                for group in node.groups where group.policy != .simple {
                    for type in group.type.map({ [$0] }) ?? [.a, .aaaa] {
                        guard let answering = node.group(answering: type), answering.policy != .simple else { continue }
                        let key = QuestionKey(name: node.name, type: type)
                        found[key] = Question(key: key, group: answering, zoneIndex: zoneIndex)
                    }
                }
            }
        }
        return found.keys.sorted().map { found[$0]! }
    }
}

/// Result slots the cores write, one slot per piece of work, each written by one core
/// (`DispatchQueue.concurrentPerform` returns after every write).
final class ResultSlots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }
}
