import AdminAPI
import GeoIP

/// The admin-request fuzz target: the input is a write's body. The first byte picks the
/// content type, whether an empty body is allowed, and the decoder (an override, a
/// deploy, or a what-if with its client list), as the different routes would call them;
/// the rest is the body.
public enum AdminRequestFuzzing {
    static let contentTypes: [String?] = [
        "application/json", "application/json; charset=utf-8", nil, "text/plain", "APPLICATION/JSON",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json;",
    ]

    public static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let selector = bytes.first else { return }
        let contentType = contentTypes[Int(selector & 7)]
        let allowEmpty = selector & 8 != 0
        let body = Array(bytes.dropFirst())
        if selector & 32 != 0 {
            if let request = try? AdminRequestDecoder.decodeWhatIf(body: body, contentType: contentType), let clients = request.clients {
                _ = try? GeoNetworksTable(parsing: Array(clients.utf8), file: "clients")
            }
        } else if selector & 16 != 0 {
            _ = try? AdminRequestDecoder.decodeDeploy(body: body, contentType: contentType)
        } else {
            _ = try? AdminRequestDecoder.decodeOverride(body: body, contentType: contentType, allowEmpty: allowEmpty)
        }
    }
}
