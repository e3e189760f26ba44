import DNSWire

/// The network a client address counts against for per-client limits: the address
/// itself for IPv4 (/32), or its /64 for IPv6, where one subscriber usually holds a
/// whole /64 (SPEC §5). Rate limiting groups wider (`prefix(v4:v6:)`).
struct ClientNetwork: Hashable, Sendable {
    /// IPv4: the address in the low 32 bits; IPv6: the leading bits kept.
    let bits: UInt64
    let isIPv6: Bool

    /// The /32 or /64 of `address`.
    init(_ address: IPAddress) {
        self.init(address, v4: 32, v6: 64)
    }

    /// The leading `v4` or `v6` bits of `address` (at most 32 and 64).
    init(_ address: IPAddress, v4: Int, v6: Int) {
        switch address {
        case .v4(let a):
            let shift = UInt32(32 - min(32, max(0, v4)))
            bits = shift == 32 ? 0 : UInt64((a.value >> shift) << shift)
            isIPv6 = false
        case .v6(let a):
            let shift = UInt64(64 - min(64, max(0, v6)))
            bits = shift == 64 ? 0 : (a.high >> shift) << shift
            isIPv6 = true
        }
    }
}
