import Foundation

// The answers of etcd's JSON gateway. proto3's JSON mapping leaves out every field at its
// default (a range with no keys has no "kvs", a count of 0 no "count"), so every field
// decodes to its default when absent; int64 fields come as strings.

extension KeyedDecodingContainer {
    /// An int64 field: a string of digits as the gateway writes it, or a plain number.
    func int64(_ key: Key) throws -> Int64 {
        guard contains(key), try !decodeNil(forKey: key) else { return 0 }
        if let text = try? decode(String.self, forKey: key) {
            guard let number = Int64(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(text)\" is not an int64")
            }
            return number
        }
        return try decode(Int64.self, forKey: key)
    }

    func uint64(_ key: Key) throws -> UInt64 {
        guard contains(key), try !decodeNil(forKey: key) else { return 0 }
        if let text = try? decode(String.self, forKey: key) {
            guard let number = UInt64(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(text)\" is not a uint64")
            }
            return number
        }
        return try decode(UInt64.self, forKey: key)
    }

    /// A bytes field: base64 text.
    func bytes(_ key: Key) throws -> [UInt8] {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return [] }
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not base64")
        }
        return Array(data)
    }

    func flag(_ key: Key) throws -> Bool { try decodeIfPresent(Bool.self, forKey: key) ?? false }

    func text(_ key: Key) throws -> String { try decodeIfPresent(String.self, forKey: key) ?? "" }

    func list<Element: Decodable>(_ key: Key) throws -> [Element] { try decodeIfPresent([Element].self, forKey: key) ?? [] }
}

struct GatewayHeader: Decodable {
    var revision: Int64 = 0
    var memberID: UInt64 = 0

    enum CodingKeys: String, CodingKey {
        case revision, memberID = "member_id"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        revision = try c.int64(.revision)
        memberID = try c.uint64(.memberID)
    }
}

extension KeyedDecodingContainer {
    func header(_ key: Key) throws -> GatewayHeader { try decodeIfPresent(GatewayHeader.self, forKey: key) ?? GatewayHeader() }
}

struct GatewayKeyValue: Decodable {
    var kv: EtcdKeyValue

    enum CodingKeys: String, CodingKey {
        case key, value, version, lease
        case createRevision = "create_revision", modRevision = "mod_revision"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kv = EtcdKeyValue(
            key: String(decoding: try c.bytes(.key), as: UTF8.self), value: try c.bytes(.value),
            createRevision: try c.int64(.createRevision), modRevision: try c.int64(.modRevision),
            version: try c.int64(.version), lease: try c.int64(.lease))
    }
}

struct GatewayRangeResponse: Decodable {
    var result: EtcdRangeResult

    enum CodingKeys: String, CodingKey {
        case header, kvs, count, more
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kvs: [GatewayKeyValue] = try c.list(.kvs)
        result = EtcdRangeResult(revision: try c.header(.header).revision, kvs: kvs.map(\.kv),
                                 count: try c.int64(.count), more: try c.flag(.more))
    }
}

/// Put, delete range and compaction answers: only the header's revision matters.
struct GatewayHeaderResponse: Decodable {
    var header: GatewayHeader

    enum CodingKeys: String, CodingKey {
        case header
    }

    init(from decoder: any Decoder) throws {
        header = try decoder.container(keyedBy: CodingKeys.self).header(.header)
    }
}

struct GatewayTxnResponse: Decodable {
    var header: GatewayHeader
    var succeeded: Bool
    /// The range answers among the branch's responses, in order.
    var ranges: [EtcdRangeResult]

    struct Op: Decodable {
        var range: GatewayRangeResponse?

        enum CodingKeys: String, CodingKey {
            case range = "response_range"
        }
    }

    enum CodingKeys: String, CodingKey {
        case header, succeeded, responses
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        header = try c.header(.header)
        succeeded = try c.flag(.succeeded)
        let responses: [Op] = try c.list(.responses)
        ranges = responses.compactMap { $0.range?.result }
    }
}

struct GatewayLeaseResponse: Decodable {
    var id: Int64
    var ttl: Int64
    var error: String

    enum CodingKeys: String, CodingKey {
        case id = "ID", ttl = "TTL", error
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.int64(.id)
        ttl = try c.int64(.ttl)
        error = (try? c.text(.error)) ?? ""
    }
}

struct GatewayStatusResponse: Decodable {
    var header: GatewayHeader
    var leader: UInt64

    enum CodingKeys: String, CodingKey {
        case header, leader
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        header = try c.header(.header)
        leader = try c.uint64(.leader)
    }
}

/// An error answer of a unary call: `{"error": text, "message": text, "code": grpc code}`.
struct GatewayErrorResponse: Decodable {
    var code: Int?
    var message: String

    enum CodingKeys: String, CodingKey {
        case code, message, error
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try? c.decodeIfPresent(Int.self, forKey: .code)
        let message = (try? c.text(.message)) ?? ""
        self.message = message.isEmpty ? ((try? c.text(.error)) ?? "") : message
    }
}

/// An error inside a stream: `{"error": {"grpc_code": n, "http_code": n, "message": text}}`.
struct GatewayStreamError: Decodable {
    var code: Int
    var message: String

    enum CodingKeys: String, CodingKey {
        case grpcCode = "grpc_code", code, message
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = (try? c.decodeIfPresent(Int.self, forKey: .grpcCode)) ?? (try? c.decodeIfPresent(Int.self, forKey: .code)) ?? 2
        message = (try? c.text(.message)) ?? ""
    }

    var rejection: EtcdError { .rejected(status: code, message: message.isEmpty ? "stream error" : message) }
}

/// One message of a gateway stream (watch, lease keepalive): a result or an error.
struct GatewayStreamMessage<Result: Decodable>: Decodable {
    var result: Result?
    var error: GatewayStreamError?

    enum CodingKeys: String, CodingKey {
        case result, error
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        result = try c.decodeIfPresent(Result.self, forKey: .result)
        error = try? c.decodeIfPresent(GatewayStreamError.self, forKey: .error)
    }
}

struct GatewayWatchResponse: Decodable {
    var header: GatewayHeader
    var created: Bool
    var canceled: Bool
    var compactRevision: Int64
    var cancelReason: String
    var events: [EtcdWatchEvent]

    struct Event: Decodable {
        var event: EtcdWatchEvent

        enum CodingKeys: String, CodingKey {
            case type, kv
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let type = try c.text(.type)
            guard let kv = try c.decodeIfPresent(GatewayKeyValue.self, forKey: .kv) else {
                throw DecodingError.keyNotFound(CodingKeys.kv, .init(codingPath: c.codingPath, debugDescription: "an event without its key"))
            }
            switch type {
            case "", "PUT": event = EtcdWatchEvent(kind: .put, kv: kv.kv)
            case "DELETE": event = EtcdWatchEvent(kind: .delete, kv: kv.kv)
            default: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown event type \(type)")
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case header, created, canceled, events
        case compactRevision = "compact_revision", cancelReason = "cancel_reason"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        header = try c.header(.header)
        created = try c.flag(.created)
        canceled = try c.flag(.canceled)
        compactRevision = try c.int64(.compactRevision)
        cancelReason = try c.text(.cancelReason)
        let events: [Event] = try c.list(.events)
        self.events = events.map(\.event)
    }
}
