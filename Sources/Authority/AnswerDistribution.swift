import DNSWire
import Routing

/// What one client is told for one question, as a spread over the answers the policies
/// can give: one answer at 100% for most questions, several with their shares when a
/// weighted or multivalue group draws at random. Used by `AnswerDiff` to compare two
/// versions of the zones answer by answer.
///
/// Shares are worked out by asking `Authority` once per point of a fixed grid of random
/// values (see `GridRandom`), never by modelling a policy: with the standard 12,600
/// points the share of a policy that draws once (weighted) is exact whenever its total
/// weight divides 12,600 (any total up to 10, 12, 14, 15, 18, 20, 25, … 100, 200) and
/// within 1/12,600 otherwise; a multivalue group of more than eight sets, which draws
/// eight times, is sampled, not enumerated (nine sets: each subset 11.1% ± 0.4). Shares
/// are kept in tenths of a percent.
public struct AnswerDistribution: Sendable, Hashable, Codable {
    /// One possible answer and how often it is given.
    public struct Outcome: Sendable, Hashable, Codable {
        /// The answer in presentation form (see `AnswerDistribution.describe`).
        public var answer: String
        /// Tenths of a percent (1000 is every time).
        public var permille: Int

        public init(answer: String, permille: Int) {
            self.answer = answer
            self.permille = permille
        }

        /// The share as a percentage with at most one decimal: "90%", "33.3%".
        public var shareText: String {
            permille % 10 == 0 ? "\(permille / 10)%" : "\(permille / 10).\(permille % 10)%"
        }
    }

    /// The answers, the most frequent first (ties in text order).
    public var outcomes: [Outcome]

    public init(outcomes: [Outcome]) {
        self.outcomes = outcomes.filter { $0.permille > 0 }.sorted { ($1.permille, $0.answer) < ($0.permille, $1.answer) }
    }

    /// One answer given every time.
    public init(always answer: String) {
        outcomes = [Outcome(answer: answer, permille: 1000)]
    }

    /// The grid size `AnswerDiff` uses unless told otherwise: 2³·3²·5²·7, so every
    /// weighted total that divides it is split exactly.
    public static let standardSamples = 12_600

    /// The distribution, and whether any answer depended on who asked: an ECS scope above
    /// 0 (RFC 7871 §7.2.1), which the server sets whenever a location, latency or CIDR
    /// block was consulted. When none did, every client gets this same distribution.
    static func tally(
        _ question: Question, client: ClientContext, authority: Authority, snapshot: Authority.Snapshot, samples: Int
    ) -> (distribution: AnswerDistribution, dependsOnClient: Bool) {
        var random = GridRandom(sample: 0, of: samples)
        let response = authority.answer(question, client: client, snapshot: snapshot, random: &random)
        var dependsOnClient = response.clientSubnetScope > 0
        if random.draws == 0 { return (AnswerDistribution(always: describe(response, to: question)), dependsOnClient) }
        // Tallied by the response's content, described once per distinct response:
        // formatting every sample would cost more than answering it.
        var byResponse: [ResponseKey: (response: Response, count: Int)] = [ResponseKey(response): (response, 1)]
        for sample in 1..<samples {
            var random = GridRandom(sample: sample, of: samples)
            let response = authority.answer(question, client: client, snapshot: snapshot, random: &random)
            dependsOnClient = dependsOnClient || response.clientSubnetScope > 0
            let key = ResponseKey(response)
            if let seen = byResponse[key] { byResponse[key] = (seen.response, seen.count + 1) } else { byResponse[key] = (response, 1) }
        }
        var counts: [String: Int] = [:]
        for (_, entry) in byResponse { counts[describe(entry.response, to: question), default: 0] += entry.count }
        let outcomes = counts.map { Outcome(answer: $0.key, permille: ($0.value * 1000 + samples / 2) / samples) }
        return (AnswerDistribution(outcomes: outcomes), dependsOnClient)
    }

    /// One answer as text that is equal exactly when a client would be told the same:
    /// the rcode (REFUSED, NXDOMAIN), NODATA, a referral with its NS and glue, or each
    /// answer RRset with its records sorted (their order carries no meaning) and its TTL.
    /// The owner and type of an RRset are given only where they differ from the question
    /// (a CNAME chain). The SOA of a negative answer is left out: a serial bump alone is
    /// not a change of answer.
    public static func describe(_ response: Response, to question: Question) -> String {
        if response.rcode == .refused { return "REFUSED (no zone)" }
        if response.rcode == .nxDomain && response.answer.isEmpty { return "NXDOMAIN" }
        var parts = response.answer.map { describe($0, question: question) }
        if response.rcode == .nxDomain { parts.append("NXDOMAIN") }
        if let ns = response.authority.first(where: { $0.type == .ns }), !response.authoritative || response.answer.isEmpty {
            var referral = "referral to \(ns.owner) NS \(ns.records.map(\.presentation).sorted().joined(separator: " "))"
            let glue = response.additional.flatMap { set in set.records.map { "\(set.owner) \(set.type) \($0.presentation)" } }
            if !glue.isEmpty { referral += " glue " + glue.sorted().joined(separator: ", ") }
            parts.append(referral)
        }
        if parts.isEmpty { return response.rcode == .noError ? "NODATA" : "\(response.rcode)" }
        return parts.joined(separator: "; ")
    }

    static func describe(_ set: ResponseRRSet, question: Question) -> String {
        var prefix = ""
        if set.owner != question.name { prefix += "\(set.owner) " }
        if set.type != question.type || !prefix.isEmpty { prefix += "\(set.type) " }
        return prefix + set.records.map(\.presentation).sorted().joined(separator: " ") + " (ttl \(set.ttl))"
    }
}

/// A random source that makes answers countable: sample `k` of `n` gives, on its first
/// draw, the midpoint of the `k`th of `n` equal slices of the 64-bit range, so over all
/// samples a draw `draw(below: m)` (the standard `next(upperBound: m)`) lands on each value exactly `n/m` times when `m`
/// divides `n`. Later draws (multivalue picks its second to eighth set, ALIAS targets
/// draw again) follow a Weyl sequence of the sample number with a different irrational
/// step per draw, spread evenly but not exactly.
public struct GridRandom: RandomNumberGenerator {
    let sample: UInt64
    let samples: UInt64
    /// How many values have been drawn.
    public private(set) var draws = 0

    public init(sample: Int, of samples: Int) {
        precondition(samples > 0 && sample >= 0 && sample < samples)
        self.sample = UInt64(sample)
        self.samples = UInt64(samples)
    }

    /// Fractional parts of √2, √3, √5, √7, √11, √13, √17, √19 in 64-bit fixed point.
    static let steps: [UInt64] = [
        0x6A09_E667_F3BC_C908, 0xBB67_AE85_84CA_A73B, 0x3C6E_F372_FE94_F82B, 0xA54F_F53A_5F1D_36F1,
        0x510E_527F_ADE6_82D1, 0x9B05_688C_2B3E_6C1F, 0x1F83_D9AB_FB41_BD6B, 0x5BE0_CD19_137E_2179,
    ]

    public mutating func next() -> UInt64 {
        defer { draws += 1 }
        if draws == 0 {
            // (2k + 1) · 2⁶⁴ / 2n: the slice's midpoint, away from the rejection zone of
            // `draw(below:)` at the bottom of each slice.
            return (2 * samples).dividingFullWidth((high: 2 * sample + 1, low: 0)).quotient
        }
        let step = GridRandom.steps[(draws - 1) % GridRandom.steps.count]
        return (sample &+ 1) &* step &+ UInt64(draws) &* 0x9E37_79B9_7F4A_7C15
    }
}

/// The parts of a response `AnswerDistribution.describe` reads, hashable, so samples
/// can be counted without formatting each one.
struct ResponseKey: Hashable {
    struct Set: Hashable {
        var owner: DomainName
        var type: RecordType
        var ttl: UInt32
        var records: [RData]
    }

    var rcode: UInt16
    var authoritative: Bool
    var sections: [[Set]]

    init(_ response: Response) {
        rcode = response.rcode.rawValue
        authoritative = response.authoritative
        sections = [response.answer, response.authority, response.additional].map { section in
            section.map { Set(owner: $0.owner, type: $0.type, ttl: $0.ttl, records: $0.records) }
        }
    }
}
