import Foundation

// The request bodies of etcd's JSON gateway: the proto3 JSON mapping of etcd's gRPC
// messages, so bytes are base64 and int64 fields are strings. Nil fields are left out and
// take their proto default.

/// Bytes as the gateway wants them: base64 text.
func gatewayBytes(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

func gatewayBytes(_ text: String) -> String { gatewayBytes(Array(text.utf8)) }

struct GatewayRangeRequest: Encodable {
    var key: String
    var rangeEnd: String?
    var limit: String?
    var sortOrder: String?
    var sortTarget: String?
    var keysOnly: Bool?
    var countOnly: Bool?

    enum CodingKeys: String, CodingKey {
        case key, limit
        case rangeEnd = "range_end", sortOrder = "sort_order", sortTarget = "sort_target"
        case keysOnly = "keys_only", countOnly = "count_only"
    }
}

struct GatewayPutRequest: Encodable {
    var key: String
    var value: String
    var lease: String?
}

struct GatewayDeleteRangeRequest: Encodable {
    var key: String
    var rangeEnd: String?

    enum CodingKeys: String, CodingKey {
        case key
        case rangeEnd = "range_end"
    }
}

struct GatewayCompare: Encodable {
    var target: String
    var key: String
    var result = "EQUAL"
    var modRevision: String?
    var version: String?
    var value: String?

    enum CodingKeys: String, CodingKey {
        case target, key, result, version, value
        case modRevision = "mod_revision"
    }

    init(_ compare: EtcdCompare) {
        switch compare {
        case .modRevision(let key, let revision):
            target = "MOD"
            self.key = gatewayBytes(key)
            modRevision = String(revision)
        case .version(let key, let number):
            target = "VERSION"
            self.key = gatewayBytes(key)
            version = String(number)
        case .value(let key, let bytes):
            target = "VALUE"
            self.key = gatewayBytes(key)
            value = gatewayBytes(bytes)
        }
    }
}

struct GatewayRequestOp: Encodable {
    var requestRange: GatewayRangeRequest?
    var requestPut: GatewayPutRequest?
    var requestDeleteRange: GatewayDeleteRangeRequest?

    enum CodingKeys: String, CodingKey {
        case requestRange = "request_range", requestPut = "request_put", requestDeleteRange = "request_delete_range"
    }

    init(_ operation: EtcdOperation) {
        switch operation {
        case .put(let key, let value, let lease):
            requestPut = GatewayPutRequest(key: gatewayBytes(key), value: gatewayBytes(value), lease: lease.map(String.init))
        case .delete(let key):
            requestDeleteRange = GatewayDeleteRangeRequest(key: gatewayBytes(key))
        case .deletePrefix(let prefix):
            let range = EtcdKeyRange.prefix(prefix)
            requestDeleteRange = GatewayDeleteRangeRequest(key: gatewayBytes(range.key), rangeEnd: gatewayBytes(range.end))
        case .range(let key):
            requestRange = GatewayRangeRequest(key: gatewayBytes(key))
        }
    }

    var isRange: Bool { requestRange != nil }
}

struct GatewayTxnRequest: Encodable {
    var compare: [GatewayCompare]
    var success: [GatewayRequestOp]
    var failure: [GatewayRequestOp]
}

struct GatewayLeaseGrantRequest: Encodable {
    var ttl: String
    var id = "0"

    enum CodingKeys: String, CodingKey {
        case ttl = "TTL", id = "ID"
    }
}

/// The body of keepalive and revoke: just the lease.
struct GatewayLeaseRequest: Encodable {
    var id: String

    enum CodingKeys: String, CodingKey {
        case id = "ID"
    }
}

struct GatewayCompactionRequest: Encodable {
    var revision: String
    var physical: Bool
}

/// An empty message: the status request, or a stream result whose content is not needed.
struct GatewayEmpty: Codable {}

struct GatewayWatchRequest: Encodable {
    struct Create: Encodable {
        var key: String
        var rangeEnd: String
        var startRevision: String
        var progressNotify = true

        enum CodingKeys: String, CodingKey {
            case key
            case rangeEnd = "range_end", startRevision = "start_revision", progressNotify = "progress_notify"
        }
    }

    var createRequest: Create

    enum CodingKeys: String, CodingKey {
        case createRequest = "create_request"
    }
}
