import Foundation

extension AdminJSON {
    /// Answer of `GET /v1/explain`: the response a client would get and each routing step
    /// that chose it.
    public struct Explanation: Codable, Sendable, Equatable {
        /// One decision of the trail: a set chosen, skipped or rejected, and why.
        public struct Step: Codable, Sendable, Equatable {
            public var verdict: String
            public var set: String?
            public var detail: String

            public init(verdict: String, set: String?, detail: String) {
                self.verdict = verdict
                self.set = set
                self.detail = detail
            }

            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(verdict, forKey: .verdict)
                try c.encode(set, forKey: .set)
                try c.encode(detail, forKey: .detail)
            }
        }

        public var name: String
        public var type: String
        public var client: String
        public var subnet: String?
        public var rcode: String
        public var authoritative: Bool
        public var answer: [String]
        public var authority: [String]
        public var additional: [String]
        public var clientSubnetScope: Int
        public var trail: [Step]

        public init(name: String, type: String, client: String, subnet: String?, rcode: String, authoritative: Bool,
                    answer: [String], authority: [String], additional: [String], clientSubnetScope: Int, trail: [Step]) {
            self.name = name
            self.type = type
            self.client = client
            self.subnet = subnet
            self.rcode = rcode
            self.authoritative = authoritative
            self.answer = answer
            self.authority = authority
            self.additional = additional
            self.clientSubnetScope = clientSubnetScope
            self.trail = trail
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(type, forKey: .type)
            try c.encode(client, forKey: .client)
            try c.encode(subnet, forKey: .subnet)
            try c.encode(rcode, forKey: .rcode)
            try c.encode(authoritative, forKey: .authoritative)
            try c.encode(answer, forKey: .answer)
            try c.encode(authority, forKey: .authority)
            try c.encode(additional, forKey: .additional)
            try c.encode(clientSubnetScope, forKey: .clientSubnetScope)
            try c.encode(trail, forKey: .trail)
        }
    }
}
