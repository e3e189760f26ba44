import ArgumentParser
import DNSWire
@testable import SwitchyardCLI
import Testing

/// `serve`'s transfer options are checked before anything starts; by default nobody may
/// transfer and nobody is notified.
@Suite struct TransferOptionsTests {
    @Test(arguments: [
        (["--allow-transfer", "192.0.2.0/33"], "--allow-transfer must be an address or CIDR block"),
        (["--allow-transfer", "example.com"], "not 'example.com'"),
        (["--notify", "192.0.2.1"], "--notify must be ADDR:PORT"),
        (["--notify", "192.0.2.1:0"], "not '192.0.2.1:0'"),
        (["--notify", "ns1.example.com:53"], "--notify must be ADDR:PORT"),
        (["--ixfr-history=-1"], "--ixfr-history must be 0 or more"),
    ])
    func badTransferOptionsAreRefusedNamingTheOption(arguments: [String], message: String) {
        do {
            let options = try TransferOptions.parse(arguments)
            try options.validate()
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(TransferOptions.message(for: error).contains(message), "\(TransferOptions.message(for: error))")
        }
    }

    @Test func defaultsAllowNobodyAndRepeatedOptionsAddUp() throws {
        let none = try TransferOptions.parse([])
        #expect(none.allowed.isEmpty && none.notifyTargets.isEmpty && none.tsigKey == nil && none.ixfrHistory == 16)
        let options = try TransferOptions.parse(["--allow-transfer", "192.0.2.0/24", "--allow-transfer", "2001:db8::1",
                                                 "--notify", "192.0.2.53:53", "--notify", "[2001:db8::53]:5353"])
        try options.validate()
        #expect(options.allowed == [IPPrefix("192.0.2.0/24")!, IPPrefix("2001:db8::1/128")!])
        #expect(options.notifyTargets.map(\.port) == [53, 5353])
    }
}
