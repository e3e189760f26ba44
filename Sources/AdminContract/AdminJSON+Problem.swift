import Foundation

extension AdminJSON {
    /// The body of every error answer: the message, and what it concerns — the bad request
    /// field, the routed names a refused change would leave without a healthy set (409), or
    /// the cluster that cannot be reached (503).
    public struct Problem: Codable, Sendable, Equatable {
        public var error: String
        public var field: String?
        public var names: [String]?
        public var cluster: [String]?

        public init(error: String, field: String? = nil, names: [String]? = nil, cluster: [String]? = nil) {
            self.error = error
            self.field = field
            self.names = names
            self.cluster = cluster
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(error, forKey: .error)
            try c.encode(field, forKey: .field)
            try c.encode(names, forKey: .names)
            try c.encode(cluster, forKey: .cluster)
        }
    }
}
