import DNSSEC
import DNSWire
import Foundation
import Testing

extension DNSSECTests {
    @Suite struct KeyFileTests {
        @Test func keygenWritesThePrivateKeyWithMode0600AndPrintsItsDS() async throws {
            let executable = try #require(RepositoryLayout.switchyard)
            let folder = try TemporaryFolder(prefix: "keygen")
            defer { folder.remove() }
            let result = try await ExternalTool.run(executable, ["keygen", "example.test", "--dir", folder.file("keys").path])
            #expect(result.status == 0, "\(result.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.file("keys").path)
            let privateName = try #require(names.first { $0.hasSuffix(".private") })
            #expect(privateName.hasPrefix("Kexample.test.+013+"))
            #expect(names.contains { $0.hasSuffix(".key") })
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.file("keys/\(privateName)").path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let key = try KeyFile.read(privateFile: folder.file("keys/\(privateName)").path)
            #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == key.dsRecord)
            let privateText = try String(contentsOf: folder.file("keys/\(privateName)"), encoding: .utf8)
            let secret = try #require(privateText.split(separator: "\n").first { $0.hasPrefix("PrivateKey:") }?.split(separator: " ").last)
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        }

        @Test func keyReadBackIsTheKeyWritten() throws {
            let folder = try TemporaryFolder(prefix: "keys")
            defer { folder.remove() }
            let key = ZoneSigningKey.generate(zone: "Example.TEST.")
            let path = try KeyFile.write(key, into: folder.url.path)
            let read = try KeyFile.read(privateFile: path)
            #expect(read.dnskeyData == key.dnskeyData)
            #expect(read.zone.wire == DomainName("example.test.").wire)
            #expect(try KeyFile.readFolder(folder.url.path).map(\.keyTag) == [key.keyTag])
            #expect(!key.description.contains(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).suffix(20)))
            #expect(throws: KeyFileError.self) { try KeyFile.write(key, into: folder.url.path) }
        }

        @Test func unusableKeyFilesAreErrorsNamingTheFile() throws {
            let folder = try TemporaryFolder(prefix: "badkeys")
            defer { folder.remove() }
            let garbage = folder.file("Kbad.test.+013+00001.private").path
            try "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: not-base64!\n".write(toFile: garbage, atomically: true, encoding: .utf8)
            do {
                _ = try KeyFile.readFolder(folder.url.path)
                Issue.record("a bad key file was accepted")
            } catch let error as KeyFileError {
                #expect(error.path == garbage)
                #expect(error.description.contains("PrivateKey"))
            }
            try FileManager.default.removeItem(atPath: garbage)

            let key = ZoneSigningKey.generate(zone: "two.test.")
            try KeyFile.write(key, into: folder.url.path)
            try KeyFile.write(ZoneSigningKey.generate(zone: "two.test."), into: folder.url.path)
            #expect(throws: KeyFileError.self) { try KeyFile.readFolder(folder.url.path) }

            #expect(throws: KeyFileError.self) { try KeyFile.readFolder(folder.file("missing").path) }
        }

        @Test(.enabled(if: DNSSECPython.isAvailable, "dnspython or python3-cryptography is missing (Debian python3-dnspython python3-cryptography)"))
        func dsDigestMatchesDnspythonMakeDS() throws {
            let key = ZoneSigningKey.generate(zone: "Example.TEST.")
            let dnskey = key.dnskeyRecord.split(separator: " ").dropFirst(3).joined(separator: " ")
            let lines = try Dnspython.run(DNSSECPython.prelude + """
                import sys, dns.dnssec, dns.rdata, dns.rdataclass, dns.rdatatype, dns.name
                key = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY, sys.argv[2])
                print(dns.dnssec.key_id(key))
                print(dns.dnssec.make_ds(dns.name.from_text(sys.argv[1]), key, "SHA256").to_text())
                """, ["example.test.", dnskey])
            #expect(lines.count == 2)
            #expect(lines.first == String(key.keyTag))
            let ours = key.dsRecord.split(separator: " ").dropFirst(3).joined(separator: " ")
            #expect(lines.last?.uppercased() == ours.uppercased())
        }
    }
}
