import ArgumentParser
import DNSWire
import NIOCore
import ZoneTransfer

/// Zone transfers to standard secondaries (SPEC §9): who may transfer, the TSIG key, and
/// whom to NOTIFY. Transfers are off unless `--allow-transfer` names someone.
struct TransferOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Clients that may transfer zones with no routed names over TCP (AXFR, IXFR); repeatable. Default: none.", valueName: "cidr"))
    var allowTransfer: [String] = []

    @Option(name: .long, help: ArgumentHelp("TSIG key (hmac-sha256) transfers must be signed with, and NOTIFY is signed with: tsig-keygen's `key` block or `hmac-sha256:NAME:SECRET`.", valueName: "file"))
    var tsigKey: String?

    @Option(name: .long, help: ArgumentHelp("Secondary to NOTIFY when a zone with no routed names changes; repeatable.", valueName: "addr:port"))
    var notify: [String] = []

    @Option(name: .long, help: ArgumentHelp("Changes of each zone kept in memory for IXFR.", valueName: "n"))
    var ixfrHistory: Int = 16

    func validate() throws {
        for text in allowTransfer where IPPrefix(text) == nil {
            throw ValidationError("--allow-transfer must be an address or CIDR block such as 192.0.2.0/24, not '\(text)'")
        }
        for text in notify where NotifySender.target(text) == nil {
            throw ValidationError("--notify must be ADDR:PORT (such as 192.0.2.1:53 or [2001:db8::1]:53), not '\(text)'")
        }
        guard ixfrHistory >= 0 else { throw ValidationError("--ixfr-history must be 0 or more") }
    }

    var allowed: [IPPrefix] { allowTransfer.compactMap { IPPrefix($0) } }
    var notifyTargets: [SocketAddress] { notify.compactMap(NotifySender.target) }

    /// The key, read and checked; a bad file stops the server with its name and line.
    func key() throws(TSIGKey.FileError) -> TSIGKey? {
        try tsigKey.map { path throws(TSIGKey.FileError) in try TSIGKey.load(path: path) }
    }
}
