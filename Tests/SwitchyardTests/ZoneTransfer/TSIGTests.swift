import DNSWire
import Foundation
import NIOCore
import Testing
import ZoneTransfer

/// TSIG (RFC 8945, hmac-sha256) against messages signed by dnspython 2.x: a request
/// (`make_query('plain.test.', 'AXFR', id=0x1234)`, `use_tsig(keyring, 'xfr-key.',
/// fudge=300)` at time 1700000000) and its response with one A record.
@Suite struct TSIGTests {
    static let key = TSIGKey(name: "xfr-key.", secret: Array(0..<32))
    static let signedAt: UInt64 = 1_700_000_000
    static let request = Hex.bytes("""
        12340000000100000000000105706c61696e04746573740000fc0001077866722d6b65790000fa00ff00000000003d0b686d61632d73
        68613235360000006553f100012c0020ded3a1873a19bb7bf420224578620d35d056ff6937cce7a56a79dbeb9ecb76a8123400000000
        """)
    static let requestMAC = Hex.bytes("ded3a1873a19bb7bf420224578620d35d056ff6937cce7a56a79dbeb9ecb76a8")
    static let response = Hex.bytes("""
        12348400000100010000000105706c61696e04746573740000fc0001c00c000100010000012c0004c0000201077866722d6b6579000
        0fa00ff00000000003d0b686d61632d7368613235360000006553f100012c00202cf8455394323a23a95646e72fb943476d6cedc5c3c2
        2002dac18c4bb4c573a4123400000000
        """)

    @Test func aRequestSignedByDnspythonIsValidWithinTheFudge() {
        #expect(TSIG.verify(Self.request, key: Self.key, now: Self.signedAt) == .valid(requestMAC: Self.requestMAC))
        #expect(TSIG.verify(Self.request, key: Self.key, now: Self.signedAt + 300) == .valid(requestMAC: Self.requestMAC))
        #expect(TSIG.verify(Self.request, key: Self.key, now: Self.signedAt - 300) == .valid(requestMAC: Self.requestMAC))
    }

    @Test func aRequestOutsideTheFudgeIsBadTime() {
        guard case .failed(let error, let record) = TSIG.verify(Self.request, key: Self.key, now: Self.signedAt + 301) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error == .badTime)
        #expect(record.timeSigned == Self.signedAt)
    }

    @Test func anotherSecretIsBadSigAndAnotherNameIsBadKey() {
        let otherSecret = TSIGKey(name: "xfr-key.", secret: Array(1..<33))
        guard case .failed(let sigError, _) = TSIG.verify(Self.request, key: otherSecret, now: Self.signedAt) else {
            Issue.record("expected BADSIG")
            return
        }
        #expect(sigError == .badSig)
        let otherName = TSIGKey(name: "other-key.", secret: Array(0..<32))
        guard case .failed(let keyError, _) = TSIG.verify(Self.request, key: otherName, now: Self.signedAt) else {
            Issue.record("expected BADKEY")
            return
        }
        #expect(keyError == .badKey)
    }

    @Test func aChangedOctetBreaksTheSignature() {
        var tampered = Self.request
        tampered[13] ^= 0x20  // "plain" → "Plain": same name, different octets signed
        guard case .failed(let error, _) = TSIG.verify(tampered, key: Self.key, now: Self.signedAt) else {
            Issue.record("expected BADSIG")
            return
        }
        #expect(error == .badSig)
    }

    @Test func anUnsignedRequestIsUnsignedAndATSIGNotLastIsMalformed() {
        let unsigned = Hex.bytes("12340000000100000000000005706c61696e04746573740000fc0001")
        #expect(TSIG.verify(unsigned, key: Self.key, now: Self.signedAt) == .unsigned)
        // The TSIG record followed by another (empty-owner A) record.
        var notLast = Self.request
        notLast[11] = 2
        notLast += [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 192, 0, 2, 1]
        #expect(TSIG.verify(notLast, key: Self.key, now: Self.signedAt) == .malformed)
    }

    @Test func theResponseIsSignedAsDnspythonSignsIt() {
        // The response as it was before signing: everything before its TSIG record, ARCOUNT 0.
        let unsignedLength = 44
        var buffer = ByteBuffer(bytes: Self.response[0..<unsignedLength])
        buffer.setInteger(UInt16(0), at: 10)
        var signer = TSIGSigner(key: Self.key, requestMAC: Self.requestMAC, now: Self.signedAt)
        signer.sign(&buffer, messageStart: 0)
        #expect(Hex.string(buffer.readableBytesView) == Hex.string(Self.response))
    }

    @Test func aSignedQueryIsSetAsideForTheTransferCode() {
        do {
            _ = try Query(decoding: ByteBuffer(bytes: Self.request))
            Issue.record("a signed request decoded as an ordinary query")
        } catch {
            guard case .signed(let query) = error else {
                Issue.record("expected .signed, got \(error)")
                return
            }
            #expect(query.id == 0x1234 && query.question.type == .axfr)
        }
    }

    @Test func theKeyFileTsigKeygenWritesIsRead() throws {
        let text = """
            key "xfr-key" {
            \talgorithm hmac-sha256;
            \tsecret "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
            };
            """
        let key = try TSIGKey.parse(text, file: "k.conf")
        #expect(key.name == DomainName("xfr-key."))
        #expect(TSIG.verify(Self.request, key: key, now: Self.signedAt) == .valid(requestMAC: Self.requestMAC))
        #expect(!key.description.contains("AAECAwQF"), "the description must not show the secret")
    }

    @Test func kdigsOneLineFormIsRead() throws {
        let key = try TSIGKey.parse("# for kdig -k\nhmac-sha256:xfr-key:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", file: "k.txt")
        #expect(TSIG.verify(Self.request, key: key, now: Self.signedAt) == .valid(requestMAC: Self.requestMAC))
    }

    @Test func aBadKeyFileIsRefusedNamingFileAndLineButNotTheSecret() {
        let cases: [(text: String, line: Int, says: String)] = [
            ("key \"k\" {\n algorithm hmac-md5;\n secret \"c2VjcmV0c2VjcmV0\";\n};\n", 2, "hmac-md5"),
            ("key \"k\" {\n algorithm hmac-sha256;\n secret \"not base64!!\";\n};\n", 3, "base64"),
            ("hmac-sha256:k\n", 1, "hmac-sha256:NAME:SECRET"),
            ("\n\n", 1, "empty"),
            ("key \"k\" {\n algorithm hmac-sha256;\n};\n", 1, "secret"),
        ]
        for test in cases {
            do {
                _ = try TSIGKey.parse(test.text, file: "bad.key")
                Issue.record("accepted: \(test.text)")
            } catch {
                #expect(error.description.hasPrefix("bad.key:\(test.line): "), "\(error)")
                #expect(error.description.contains(test.says), "\(error)")
                #expect(!error.description.contains("not base64!!"), "\(error)")
            }
        }
    }
}
