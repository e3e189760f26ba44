import Foundation

extension AdminJSON {
    /// Body of `POST /v1/whatif` (SPEC §8): the health to assume, and optionally the
    /// client networks to count instead of the server's own.
    public struct WhatIfRequest: Codable, Sendable, Equatable {
        /// Regions whose every check is assumed down.
        public var regions: [String]?
        /// Checks assumed down.
        public var down: [String]?
        /// CSV text with the header `prefix,continent,country,subdivision,latitude,longitude`
        /// (as `--geo-networks`); its rows are the networks counted, placed by their row.
        public var clients: String?

        public init(regions: [String]? = nil, down: [String]? = nil, clients: String? = nil) {
            self.regions = regions
            self.down = down
            self.clients = clients
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(regions, forKey: .regions)
            try c.encode(down, forKey: .down)
            try c.encode(clients, forKey: .clients)
        }
    }

    /// What `POST /v1/whatif` found. Shares are percentages of the client networks with
    /// one decimal (every network counts once; a weighted or multivalue network counts by
    /// its shares of the random draws); `set` is the answering set's identifier (several
    /// joined with "+" for multivalue), null when no routed set answers (NODATA).
    public struct WhatIfReport: Codable, Sendable, Equatable {
        public var assumed: WhatIfAssumption
        /// Every routed name and type, in canonical name order then type.
        public var names: [WhatIfName]
        /// "NAME TYPE" of each routed group with a healthy set now and none under the
        /// assumption (TYPE is ALIAS for an ALIAS group), as an override would be refused for.
        public var namesWithoutHealthySet: [String]
        /// How many client networks were counted.
        public var clients: Int
        /// How many classes of networks routing can tell apart, each asked once.
        public var classes: Int
        /// Server-side time of the analysis.
        public var elapsedSeconds: Double

        public init(assumed: WhatIfAssumption, names: [WhatIfName], namesWithoutHealthySet: [String], clients: Int, classes: Int,
                    elapsedSeconds: Double) {
            self.assumed = assumed
            self.names = names
            self.namesWithoutHealthySet = namesWithoutHealthySet
            self.clients = clients
            self.classes = classes
            self.elapsedSeconds = elapsedSeconds
        }
    }

    /// The health a what-if assumed: the regions and checks given, and every check that
    /// this made down.
    public struct WhatIfAssumption: Codable, Sendable, Equatable {
        public var regions: [String]
        public var down: [String]
        /// The checks assumed down (those of the regions and those named), sorted.
        public var checksDown: [String]

        public init(regions: [String], down: [String], checksDown: [String]) {
            self.regions = regions
            self.down = down
            self.checksDown = checksDown
        }
    }

    /// One routed name and type.
    public struct WhatIfName: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var policy: String
        /// Largest share first.
        public var before: [WhatIfShare]
        public var after: [WhatIfShare]
        /// Largest first; empty when nothing moves.
        public var moves: [WhatIfMove]
        public var leftWithoutHealthySet: Bool

        public init(name: String, type: String, policy: String, before: [WhatIfShare], after: [WhatIfShare], moves: [WhatIfMove],
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

    /// One answer set and its share in percent.
    public struct WhatIfShare: Codable, Sendable, Equatable {
        public var set: String?
        public var share: Double

        public init(set: String?, share: Double) {
            self.set = set
            self.share = share
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(set, forKey: .set)
            try c.encode(share, forKey: .share)
        }
    }

    /// The share of networks (percent) answered from `from` now and from `to` after. For a
    /// weighted or multivalue answer it is the net flow: what a shrinking set loses goes
    /// to the growing sets in proportion to their gains.
    public struct WhatIfMove: Codable, Sendable, Equatable {
        public var from: String?
        public var to: String?
        public var share: Double

        public init(from: String?, to: String?, share: Double) {
            self.from = from
            self.to = to
            self.share = share
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(share, forKey: .share)
        }
    }
}
