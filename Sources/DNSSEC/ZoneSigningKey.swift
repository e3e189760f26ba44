@preconcurrency import Crypto
import DNSWire
import Foundation

/// One zone's signing key: ECDSA P-256 with SHA-256 (DNSSEC algorithm 13, RFC 6605), used
/// as a combined signing key (flags 257: zone key and secure entry point), so the one key
/// signs every RRset and its DS goes to the parent.
///
/// Its description names the zone and key tag only: the private key is never printed.
public struct ZoneSigningKey: Sendable, CustomStringConvertible {
    public static let algorithm: UInt8 = 13
    /// Zone key (bit 7) and secure entry point (bit 15).
    public static let flags: UInt16 = 257
    public static let dnskeyTTL: UInt32 = 3600

    /// The zone apex, in lower case (the RRSIG signer's name is written this way).
    public let zone: DomainName
    let privateKey: P256.Signing.PrivateKey
    /// The DNSKEY RDATA: flags, protocol 3, algorithm, and the 64-octet public point x||y.
    public let dnskeyData: [UInt8]
    /// RFC 4034 Appendix B.
    public let keyTag: UInt16

    public init(zone: DomainName, privateKey: P256.Signing.PrivateKey) {
        self.zone = zone.lowercased()
        self.privateKey = privateKey
        var data: [UInt8] = [UInt8(Self.flags >> 8), UInt8(Self.flags & 0xFF), 3, Self.algorithm]
        data.append(contentsOf: privateKey.publicKey.rawRepresentation)
        dnskeyData = data
        keyTag = Self.keyTag(of: data)
    }

    /// A new random key for `zone`.
    public static func generate(zone: DomainName) -> ZoneSigningKey {
        ZoneSigningKey(zone: zone, privateKey: P256.Signing.PrivateKey())
    }

    /// The private scalar, for the key file only.
    var privateScalar: Data { privateKey.rawRepresentation }

    static func keyTag(of rdata: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        for (i, byte) in rdata.enumerated() {
            sum &+= i & 1 == 0 ? UInt32(byte) << 8 : UInt32(byte)
        }
        sum &+= (sum >> 16) & 0xFFFF
        return UInt16(truncatingIfNeeded: sum)
    }

    /// The DS RDATA the parent publishes (RFC 4509): key tag, algorithm, digest type 2
    /// (SHA-256) over the owner name and the DNSKEY RDATA.
    public var dsData: [UInt8] {
        var digest = SHA256()
        digest.update(data: zone.wire)
        digest.update(data: dnskeyData)
        return [UInt8(keyTag >> 8), UInt8(keyTag & 0xFF), Self.algorithm, 2] + Array(digest.finalize())
    }

    /// The DS record in presentation form, as `keygen` prints it for the parent.
    public var dsRecord: String {
        let digest = dsData.dropFirst(4).map { String(format: "%02X", $0) }.joined()
        return "\(zone.presentation) IN DS \(keyTag) \(Self.algorithm) 2 \(digest)"
    }

    /// The DNSKEY record in presentation form.
    public var dnskeyRecord: String {
        "\(zone.presentation) IN DNSKEY \(Self.flags) 3 \(Self.algorithm) \(Data(dnskeyData.dropFirst(4)).base64EncodedString())"
    }

    /// The raw r||s signature of `data` (RFC 6605 §4), SHA-256 inside.
    func sign(_ data: [UInt8]) -> [UInt8] {
        // P-256 signing fails only on a broken random source; the answer then goes unsigned
        // rather than bringing the server down.
        guard let signature = try? privateKey.signature(for: data) else { return [] }
        return Array(signature.rawRepresentation)
    }

    public var description: String { "\(zone.presentation) key \(keyTag) (ECDSAP256SHA256)" }
}
