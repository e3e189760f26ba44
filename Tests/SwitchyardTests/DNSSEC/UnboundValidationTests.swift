import DNSWire
import Foundation
import Testing

extension DNSSECTests {
    /// The built server signing a zone behind Debian's validating resolver: every kind of
    /// answer comes back with AD, before and after a drill flips a health check.
    @Suite(.serialized, .enabled(if: UnboundResolver.executable != nil && RepositoryLayout.switchyard != nil,
                                 "unbound is not installed (Debian package unbound)"))
    struct UnboundValidationTests {
        static func zone(primary: HTTPBackend, secondary: HTTPBackend) -> String {
            """
            $ORIGIN signed.test.
            $TTL 60
            @     IN SOA ns hostmaster 1 3600 900 1209600 60
            @     IN NS  ns
            ns    IN A   127.0.0.1
            $HEALTHCHECK p \(primary.url) interval=1s timeout=1s threshold=5 region=us-east-1
            $HEALTHCHECK s \(secondary.url) interval=1s timeout=1s threshold=5 region=eu-west-1
            plain IN A   192.0.2.1
            alias IN CNAME plain
            *.wild IN A  192.0.2.9
            www  [weighted id=blue weight=90 health=p]  60 IN A 192.0.2.10
            www  [weighted id=green weight=10 health=s] 60 IN A 192.0.2.20
            app-use1 IN A 192.0.2.31
            app-euw1 IN A 192.0.2.32
            lat  [latency id=use1 region=us-east-1 health=p] 60 IN ALIAS app-use1
            lat  [latency id=euw1 region=eu-west-1 health=s] 60 IN ALIAS app-euw1
            geo  [geo id=europe continent=EU] 60 IN A 192.0.2.41
            geo  [geo id=default country=*]   60 IN A 192.0.2.42
            api  [failover id=primary role=primary health=p]   60 IN A 192.0.2.51
            api  [failover id=standby role=secondary health=s] 60 IN A 192.0.2.52
            top  IN ALIAS app-euw1
            """
        }

        static let networks = """
            prefix,continent,country,subdivision,latitude,longitude
            10.3.0.0/16,EU,IE,,53.3,-6.3
            10.1.0.0/16,NA,US,NY,40.7,-74.0

            """

        @Test func everyAnswerKindValidatesThroughUnboundBeforeAndAfterADrillFlip() async throws {
            let primary = try await HTTPBackend.start(host: "127.0.0.61")
            let secondary = try await HTTPBackend.start(host: "127.0.0.62")
            let folder = try TemporaryFolder(prefix: "unbound")
            defer { folder.remove() }
            try folder.writeZone(Self.zone(primary: primary, secondary: secondary), as: "signed.test.zone")
            try Self.networks.write(to: folder.file("networks.csv"), atomically: true, encoding: .utf8)
            let executable = try #require(RepositoryLayout.switchyard)
            let keygen = try await ExternalTool.run(executable, ["keygen", "signed.test", "--dir", folder.file("keys").path])
            #expect(keygen.status == 0, "\(keygen.stderr)")
            let ds = keygen.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(ds.hasPrefix("signed.test. IN DS "))

            let sy = try await SwitchyardProcess.launch(folder: folder, probe: ("signed.test.", .soa), extraArguments: [
                "--dnssec-keys", folder.file("keys").path, "--geo-networks", folder.file("networks.csv").path])
            defer { sy.stop() }
            let unbound = try await UnboundResolver.start(folder: folder, zone: "signed.test.", serverPort: sy.server.port, trustAnchor: ds)
            defer { unbound.stop() }

            let kinds: [(DomainName, RecordType, String?)] = [
                ("plain.signed.test.", .a, nil), ("alias.signed.test.", .a, nil), ("x.wild.signed.test.", .a, nil),
                ("www.signed.test.", .a, nil), ("lat.signed.test.", .a, nil), ("geo.signed.test.", .a, "10.3.0.0/24"),
                ("geo.signed.test.", .a, "10.1.0.0/24"), ("api.signed.test.", .a, nil), ("top.signed.test.", .a, nil),
                ("nope.signed.test.", .a, nil), ("plain.signed.test.", .aaaa, nil), ("signed.test.", .dnskey, nil),
            ]
            for (name, type, subnet) in kinds {
                let reply = try unbound.ask(name, type, subnet: subnet)
                #expect(reply.responseCode == .noError, "\(name) \(type): \(reply.responseCode)\n\(unbound.server.child.output)")
                #expect(reply.authenticData, "\(name) \(type) \(subnet ?? "") came back without AD")
            }
            #expect(try unbound.ask("plain.signed.test.", .a).addresses == ["192.0.2.1"])
            #expect(try unbound.ask("geo.signed.test.", .a, subnet: "10.3.0.0/24").addresses == ["192.0.2.41"])
            #expect(try unbound.ask("geo.signed.test.", .a, subnet: "10.1.0.0/24").addresses == ["192.0.2.42"])
            #expect(try unbound.ask("api.signed.test.", .a).addresses == ["192.0.2.51"])
            #expect(try unbound.ask("top.signed.test.", .a).addresses == ["192.0.2.32"])

            // A drill takes the primary's check down: the answers move and still validate.
            let down = try await sy.client(["health", "down", "p", "--for", "15m", "--reason", "dnssec drill"])
            #expect(down.status == 0, "\(down.stderr)")
            #expect(sy.addresses("api.signed.test.") == ["192.0.2.52"])
            // A resolver that has not cached the answers before the flip.
            unbound.stop()
            let fresh = try await UnboundResolver.start(folder: folder, zone: "signed.test.", serverPort: sy.server.port, trustAnchor: ds)
            defer { fresh.stop() }
            let api = try fresh.ask("api.signed.test.", .a)
            #expect(api.addresses == ["192.0.2.52"])
            #expect(api.authenticData)
            let lat = try fresh.ask("lat.signed.test.", .a)
            #expect(lat.addresses == ["192.0.2.32"])
            #expect(lat.authenticData)
            let www = try fresh.ask("www.signed.test.", .a)
            #expect(www.addresses == ["192.0.2.20"])
            #expect(www.authenticData)

            await primary.stop()
            await secondary.stop()
        }
    }
}
