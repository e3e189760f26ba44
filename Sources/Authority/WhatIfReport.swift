import Routing

/// What a what-if found: for every routed name and type, which routed set the client
/// networks are answered from now and under the assumed health, and who moves where.
/// Shares are fractions of the client networks (each network counts once; a random
/// policy's network counts by its shares of the grid).
public struct WhatIfReport: Sendable, Equatable {
    /// One answer set and its share (0...1).
    public struct SetShare: Sendable, Equatable {
        /// The set identifiers joined with "+" (`Response.routedSetKey`), or nil for an
        /// answer no routed set gave (NODATA).
        public var set: String?
        public var share: Double

        public init(set: String?, share: Double) {
            self.set = set
            self.share = share
        }
    }

    /// The share of networks answered from `from` now and from `to` under the assumption.
    public struct Move: Sendable, Equatable {
        public var from: String?
        public var to: String?
        public var share: Double

        public init(from: String?, to: String?, share: Double) {
            self.from = from
            self.to = to
            self.share = share
        }
    }

    /// One routed name and query type (ALIAS groups asked as A and AAAA).
    public struct Name: Sendable, Equatable {
        public var name: String
        public var type: String
        public var policy: RoutingPolicy
        /// Largest share first, ties by set name.
        public var before: [SetShare]
        public var after: [SetShare]
        /// Largest share first; empty when nothing moves.
        public var moves: [Move]
        /// True when the group has a healthy set now and none under the assumption.
        public var leftWithoutHealthySet: Bool

        public init(name: String, type: String, policy: RoutingPolicy, before: [SetShare], after: [SetShare], moves: [Move],
                    leftWithoutHealthySet: Bool) {
            self.name = name
            self.type = type
            self.policy = policy
            self.before = before
            self.after = after
            self.moves = moves
            self.leftWithoutHealthySet = leftWithoutHealthySet
        }
    }

    /// In canonical name order, then type.
    public var names: [Name]
    /// "NAME TYPE" (TYPE is ALIAS for an ALIAS group), as the override safety rule names
    /// them (`HealthImpact`).
    public var namesWithoutHealthySet: [String]
    /// How many client networks were counted.
    public var clients: Int
    /// How many classes they fold into (see `ClientClasses`).
    public var classes: Int
    /// How many (question, class, health) tallies were made: each asks `Authority` once,
    /// or a few dozen times for a weighted group (see `RoutedSetTally`).
    public var questionsAsked: Int
    /// How long the analysis took, client classes included.
    public var elapsedSeconds: Double

    public init(names: [Name], namesWithoutHealthySet: [String], clients: Int, classes: Int, questionsAsked: Int,
                elapsedSeconds: Double = 0) {
        self.elapsedSeconds = elapsedSeconds
        self.names = names
        self.namesWithoutHealthySet = namesWithoutHealthySet
        self.clients = clients
        self.classes = classes
        self.questionsAsked = questionsAsked
    }
}

/// Adds up shares per set and the flow between them.
struct ShareLedger {
    var before: [String?: Double] = [:]
    var after: [String?: Double] = [:]
    var moves: [MoveKey: Double] = [:]

    struct MoveKey: Hashable {
        var from: String?
        var to: String?
    }

    /// One class of `weight` (a fraction of the population) with its shares now and after.
    /// Within the class, what a set keeps is the smaller of its two shares; what the sets
    /// that shrink lose goes to the sets that grow in proportion to their gain. For a
    /// single answer each side this is the one move; for a weighted group it is the net
    /// flow, not a pairing of random draws.
    mutating func add(weight: Double, now: [(key: String?, fraction: Double)], then: [(key: String?, fraction: Double)]) {
        var was: [String?: Double] = [:], will: [String?: Double] = [:]
        for entry in now { was[entry.key, default: 0] += entry.fraction }
        for entry in then { will[entry.key, default: 0] += entry.fraction }
        for (key, value) in was { before[key, default: 0] += weight * value }
        for (key, value) in will { after[key, default: 0] += weight * value }
        let losses = was.compactMap { key, value in value > (will[key] ?? 0) ? (key, value - (will[key] ?? 0)) : nil }
        let gains = will.compactMap { key, value in value > (was[key] ?? 0) ? (key, value - (was[key] ?? 0)) : nil }
        let totalGain = gains.reduce(0) { $0 + $1.1 }
        guard totalGain > 0 else { return }
        for (from, lost) in losses {
            for (to, gained) in gains {
                moves[MoveKey(from: from, to: to), default: 0] += weight * lost * gained / totalGain
            }
        }
    }

    static func ordered(_ shares: [String?: Double]) -> [WhatIfReport.SetShare] {
        shares.filter { $0.value > 1e-12 }.map { WhatIfReport.SetShare(set: $0.key, share: $0.value) }
            .sorted { ($1.share, $0.set ?? "") < ($0.share, $1.set ?? "") }
    }

    var orderedMoves: [WhatIfReport.Move] {
        moves.filter { $0.value > 1e-12 }.map { WhatIfReport.Move(from: $0.key.from, to: $0.key.to, share: $0.value) }
            .sorted { ($1.share, $0.from ?? "", $0.to ?? "") < ($0.share, $1.from ?? "", $1.to ?? "") }
    }
}
