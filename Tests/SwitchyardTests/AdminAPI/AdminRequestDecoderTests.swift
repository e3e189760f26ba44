import AdminAPI
import Testing

/// The pure decoding of override writes (what the routes use and the fuzzer calls):
/// content type first, then each field, every refusal naming its field.
@Suite struct AdminRequestDecoderTests {
    static let body = Array(#"{"state":"down","for":"15m","reason":"drill","force":true,"requestedBy":"ops"}"#.utf8)

    @Test(arguments: ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                      "multipart/form-data; boundary=x", "application/jsonp", ""])
    func aWriteThatIsNotJSONIs415NamingContentType(contentType: String) {
        #expect(throws: AdminRequestError(status: 415, field: "Content-Type",
                                          message: "Content-Type must be application/json, not \"\(contentType)\"")) {
            try AdminRequestDecoder.decodeOverride(body: Self.body, contentType: contentType, allowEmpty: false)
        }
    }

    @Test func aBodyWithoutContentTypeIsRefusedAndABodilessWriteIsNot() throws {
        do {
            _ = try AdminRequestDecoder.decodeOverride(body: Self.body, contentType: nil, allowEmpty: true)
            Issue.record("a body without Content-Type must be refused")
        } catch {
            #expect(error.status == 415)
            #expect(error.field == "Content-Type")
        }
        #expect(try AdminRequestDecoder.decodeOverride(body: [], contentType: nil, allowEmpty: true) == AdminOverrideIntent())
        #expect(throws: AdminRequestError.self) { try AdminRequestDecoder.decodeOverride(body: [], contentType: nil, allowEmpty: false) }
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"])
    func jsonWithParametersIsDecoded(contentType: String) throws {
        let intent = try AdminRequestDecoder.decodeOverride(body: Self.body, contentType: contentType, allowEmpty: false)
        #expect(intent == AdminOverrideIntent(state: .down, duration: 900, reason: "drill", force: true, requestedBy: "ops"))
    }

    @Test(arguments: [
        (#"{"state":"sideways"}"#, "state"), (#"{"for":"10m"}"#, "state"), (#"{"state":"up","for":"soon"}"#, "for"),
        (#"{"state":"up","for":"0s"}"#, "for"), (#"{"state":"up","force":"yes"}"#, "force"), (#"{"state":7}"#, "state"),
        (#"{"state":"up","reason":["a"]}"#, "reason"), ("not json", "body"), ("[1,2]", "body"), (#"{"state":"up""#, "body"),
    ])
    func badFieldsAreNamed(body: String, field: String) {
        do {
            _ = try AdminRequestDecoder.decodeOverride(body: Array(body.utf8), contentType: "application/json", allowEmpty: false)
            Issue.record("\(body) must be refused")
        } catch {
            #expect(error.status == 400)
            #expect(error.field == field, "\(body): \(error)")
        }
    }
}
