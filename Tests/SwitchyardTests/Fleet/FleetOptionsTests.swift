import ArgumentParser
import Foundation
@testable import FleetState
@testable import SwitchyardCLI
import Testing

/// `serve`'s fleet options are checked before anything starts, and the key layout in etcd
/// reads back what it writes.
@Suite struct FleetOptionsTests {
    @Test(arguments: [
        (["--cluster", "ftp://127.0.0.1:2379"], "is not an etcd client URL"),
        (["--cluster", ","], "needs at least one etcd URL"),
        (["--cluster", "http://127.0.0.1:2379", "--instance", "ns/1"], "--instance 'ns/1' must be"),
        (["--vantage", String(repeating: "v", count: 65)], "--vantage"),
        (["--cluster-prefix", "switchyard/"], "--cluster-prefix must start with '/'"),
        (["--cluster-lease", "1"], "--cluster-lease must be 2 to 3600 seconds"),
    ])
    func badFleetOptionsAreRefusedNamingTheOption(arguments: [String], message: String) {
        do {
            let options = try FleetOptions.parse(arguments)
            try options.validate()
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(FleetOptions.message(for: error).contains(message), "\(FleetOptions.message(for: error))")
        }
    }

    @Test func defaultsNameTheHostAndShareItsNameAsTheVantage() throws {
        let options = try FleetOptions.parse(["--cluster", "http://127.0.0.1:2379, http://127.0.0.2:2379"])
        try options.validate()
        #expect(options.endpoints == ["http://127.0.0.1:2379", "http://127.0.0.2:2379"])
        #expect(FleetOptions.isValidName(options.instanceName))
        #expect(options.vantageName == options.instanceName)
        #expect(options.clusterPrefix == "/switchyard/" && options.clusterLease == 10)
        #expect(try FleetOptions.parse([]).endpoints == nil)
    }

    @Test func keysReadBackWhatTheyName() {
        let keys = FleetKeys(prefix: "/sy")
        #expect(keys.overrides == "/sy/state/overrides")
        let history = keys.history(at: Date(timeIntervalSince1970: 1_800_000_000.5), instance: "ns-1", index: 3)
        #expect(history == "/sy/history/01800000000500000000-ns-1-3")
        #expect(keys.isHistory(history, writtenBy: "ns-1"))
        #expect(!keys.isHistory(history, writtenBy: "ns"))
        #expect(!keys.isHistory(keys.history(at: Date(), instance: "ns-1-3", index: 0), writtenBy: "ns-1"))
        let observation = keys.observation(vantage: "eu", check: "use1.api")
        #expect(keys.observationParts(observation)! == ("eu", "use1.api"))
        #expect(keys.observationParts(keys.observations + "eu") == nil)
        #expect(keys.observationParts(keys.instances + "eu/x") == nil)
    }
}
