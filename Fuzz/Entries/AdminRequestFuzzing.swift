import AdminAPI

/// The admin-request fuzz target: the input is an override request body. The first byte
/// picks the content type and whether an empty body is allowed, as the different routes
/// would call the decoder; the rest is the body.
public enum AdminRequestFuzzing {
    static let contentTypes: [String?] = [
        "application/json", "application/json; charset=utf-8", nil, "text/plain", "APPLICATION/JSON",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json;",
    ]

    public static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let selector = bytes.first else { return }
        let contentType = contentTypes[Int(selector & 7)]
        let allowEmpty = selector & 8 != 0
        _ = try? AdminRequestDecoder.decodeOverride(body: Array(bytes.dropFirst()), contentType: contentType, allowEmpty: allowEmpty)
    }
}
