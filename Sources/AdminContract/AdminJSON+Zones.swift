import Foundation

extension AdminJSON {
    /// One zone as `GET /v1/zones` lists it: the version served and the last load error.
    public struct Zone: Codable, Sendable, Equatable {
        public var file: String
        public var origin: String?
        public var serial: UInt32?
        public var records: Int?
        public var loadedAt: Date?
        public var lastError: String?
        public var errors: [String]
        /// The commit the served version came from (`serve --git`); null for a folder or a
        /// zone never loaded.
        public var commit: String?

        public init(file: String, origin: String?, serial: UInt32?, records: Int?, loadedAt: Date?, lastError: String?,
                    errors: [String], commit: String? = nil) {
            self.file = file
            self.origin = origin
            self.serial = serial
            self.records = records
            self.loadedAt = loadedAt
            self.lastError = lastError
            self.errors = errors
            self.commit = commit
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file)
            try c.encode(origin, forKey: .origin)
            try c.encode(serial, forKey: .serial)
            try c.encode(records, forKey: .records)
            try c.encode(loadedAt, forKey: .loadedAt)
            try c.encode(lastError, forKey: .lastError)
            try c.encode(errors, forKey: .errors)
            try c.encode(commit, forKey: .commit)
        }
    }

    /// `GET /v1/zones`: every zone file.
    public struct ZoneList: Codable, Sendable, Equatable {
        public var zones: [Zone]

        public init(zones: [Zone]) {
            self.zones = zones
        }
    }

    /// Answer of `POST /v1/reload`: one outcome per zone file; `ok` when none failed.
    public struct ReloadResult: Codable, Sendable, Equatable {
        /// What a reload did to one zone file.
        public struct ZoneOutcome: Codable, Sendable, Equatable {
            public var file: String
            public var origin: String?
            /// "loaded", "removed", "failed" or "failed-kept-previous".
            public var result: String
            public var errors: [String]
            /// The commit this reload read (`serve --git`), so a failure names it; null for a folder.
            public var commit: String?

            public init(file: String, origin: String?, result: String, errors: [String], commit: String? = nil) {
                self.file = file
                self.origin = origin
                self.result = result
                self.errors = errors
                self.commit = commit
            }

            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(file, forKey: .file)
                try c.encode(origin, forKey: .origin)
                try c.encode(result, forKey: .result)
                try c.encode(errors, forKey: .errors)
                try c.encode(commit, forKey: .commit)
            }
        }

        public var ok: Bool
        public var zones: [ZoneOutcome]

        public init(ok: Bool, zones: [ZoneOutcome]) {
            self.ok = ok
            self.zones = zones
        }
    }
}
