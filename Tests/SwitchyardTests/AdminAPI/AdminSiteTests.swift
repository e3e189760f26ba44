import AdminAPI
import Foundation
import HealthChecks
import Testing

/// SPEC §5: the admin API refuses requests whose `Origin` names another site or whose
/// `Host` is not its address (or localhost), and writes that are not JSON. Over real
/// loopback sockets against the real server.
@Suite struct AdminSiteTests {
    static let evacuate = "/v1/regions/us-east-1/evacuate"

    static func field(_ reply: RawHTTP.Reply) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])?["field"] as? String
    }

    @Test func aCrossSitePlainTextPostDoesNotEvacuateARegion() async throws {
        let server = try await LiveAdminServer.start()
        let body = #"{"for":"10m","reason":"pwned"}"#
        // What a page on another site can send from the operator's browser without asking
        // first: a text/plain POST, with the browser's Origin.
        let crossSite = try await RawHTTP.exchange(port: server.port, RawHTTP.request(
            "POST", Self.evacuate, host: server.host,
            headers: ["Origin: https://attacker.example", "Content-Type: text/plain;charset=UTF-8"], body: body))
        #expect(crossSite.status == 403)
        #expect(Self.field(crossSite) == "Origin")
        // Even without an Origin, text/plain is not a write the API takes.
        let plain = try await RawHTTP.exchange(port: server.port, RawHTTP.request(
            "POST", Self.evacuate, host: server.host, headers: ["Content-Type: text/plain"], body: body))
        #expect(plain.status == 415)
        #expect(Self.field(plain) == "Content-Type")
        let untyped = try await RawHTTP.exchange(port: server.port, RawHTTP.request("POST", Self.evacuate, host: server.host, body: body))
        #expect(untyped.status == 415)
        // Nothing was evacuated, and nothing was recorded.
        let monitor = server.fixture.backend.monitor
        #expect(server.fixture.backend.health.current.isHealthy("p"))
        #expect(await monitor.status(of: "p")?.override == nil)
        #expect(await monitor.status(of: "p")?.history.isEmpty == true)
        #expect(OverrideStore(directory: server.fixture.folder.file("state").path).history().isEmpty)

        // The API's own origin with JSON is served: the refusals above were the rules, not a broken route.
        let own = try await RawHTTP.exchange(port: server.port, RawHTTP.request(
            "POST", Self.evacuate, host: server.host,
            headers: ["Origin: http://\(server.host)", "Content-Type: application/json; charset=utf-8"], body: body))
        #expect(own.status == 200, "\(own.body)")
        #expect(!server.fixture.backend.health.current.isHealthy("p"))
        // A bodiless DELETE without Content-Type (curl -X DELETE) is fine.
        let delete = try await RawHTTP.exchange(port: server.port, RawHTTP.request("DELETE", "/v1/health-checks/p/override", host: server.host))
        #expect(delete.status == 200, "\(delete.body)")
        #expect(server.fixture.backend.health.current.isHealthy("p"))
        try await server.stop()
    }

    @Test func hostsAndOriginsOtherThanTheAPIsOwnAreRefused() async throws {
        let server = try await LiveAdminServer.start()
        let port = server.port
        let cases: [(host: String?, origin: String?, status: Int, field: String?)] = [
            ("rebind.attacker.example:\(port)", nil, 403, "Host"),  // DNS rebinding
            ("rebind.attacker.example", nil, 403, "Host"),
            ("127.0.0.1:\(port &+ 1)", nil, 403, "Host"),
            ("[::1]:\(port)", nil, 403, "Host"),
            ("127.0.0.1:\(port)", nil, 200, nil),
            ("127.0.0.1", nil, 200, nil),
            ("localhost:\(port)", nil, 200, nil),
            ("LocalHost", nil, 200, nil),
            (nil, nil, 200, nil),  // HTTP/1.0-style clients: no browser, nothing to rebind
            ("127.0.0.1:\(port)", "http://127.0.0.1:\(port)", 200, nil),
            ("127.0.0.1:\(port)", "http://localhost:\(port)", 200, nil),
            ("127.0.0.1:\(port)", "null", 403, "Origin"),
            ("127.0.0.1:\(port)", "http://127.0.0.1:\(port &+ 1)", 403, "Origin"),
            ("127.0.0.1:\(port)", "https://127.0.0.1:\(port)", 403, "Origin"),
            ("127.0.0.1:\(port)", "http://evil.example", 403, "Origin"),
        ]
        for item in cases {
            let reply = try await RawHTTP.exchange(port: port, RawHTTP.request(
                "GET", "/v1/health-checks", host: item.host, headers: item.origin.map { ["Origin: \($0)"] } ?? []))
            #expect(reply.status == item.status, "Host \(item.host ?? "-") Origin \(item.origin ?? "-"): \(reply.head)")
            #expect(Self.field(reply) == item.field, "Host \(item.host ?? "-") Origin \(item.origin ?? "-")")
        }
        try await server.stop()
    }

    @Test func aWildcardAddressAcceptsAddressLiteralsButNoNames() {
        for listen in ["0.0.0.0", "::"] {
            let policy = AdminSitePolicy(listenHost: listen, port: 5380)
            #expect(policy.allowsHost("192.0.2.7:5380"))
            #expect(policy.allowsHost("[2001:db8::7]:5380"))
            #expect(policy.allowsHost("localhost"))
            #expect(!policy.allowsHost("admin.example.test"))
            #expect(!policy.allowsHost("192.0.2.7:80"))
            #expect(policy.allowsOrigin("http://192.0.2.7:5380"))
            #expect(!policy.allowsOrigin("http://admin.example.test:5380"))
        }
        let v6 = AdminSitePolicy(listenHost: "::1", port: 5380)
        #expect(v6.allowsHost("[::1]:5380"))
        #expect(v6.allowsHost("[0:0::1]"))
        #expect(!v6.allowsHost("127.0.0.1:5380"))
        #expect(!v6.allowsHost("::1"))
        #expect(v6.allowsOrigin("http://[::1]:5380"))
    }
}
