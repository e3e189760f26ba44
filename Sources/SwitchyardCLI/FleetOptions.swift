import ArgumentParser
import Foundation

/// `serve`'s options for running as one instance of a fleet sharing its state through
/// etcd (SPEC §6).
struct FleetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("etcd v3 client URLs, comma-separated: share overrides, health observations and zone versions with the other instances (without it the state lives in --state-dir).", valueName: "url,url"))
    var cluster: String?

    @Option(name: .long, help: ArgumentHelp("This instance's name in the fleet (default: the host name).", valueName: "name"))
    var instance: String?

    @Option(name: .long, help: ArgumentHelp("Where this instance probes from, as its observations are labelled (default: the instance name).", valueName: "label"))
    var vantage: String?

    @Option(name: .long, help: ArgumentHelp("Key prefix of the fleet's state in etcd.", valueName: "prefix"))
    var clusterPrefix: String = "/switchyard/"

    @Option(name: .long, help: ArgumentHelp("Seconds an instance's report and observations outlive it (its etcd lease); a stopped instance leaves the fleet after this long.", valueName: "seconds"))
    var clusterLease: Int = 10

    /// The etcd endpoints, each checked to be an http(s) URL.
    var endpoints: [String]? {
        cluster.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    var instanceName: String {
        if let instance { return instance }
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "switchyard"
        let cleaned = String(host.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
        return cleaned.isEmpty ? "switchyard" : cleaned
    }

    var vantageName: String { vantage ?? instanceName }

    func validate() throws {
        if let endpoints {
            guard !endpoints.isEmpty else { throw ValidationError("--cluster needs at least one etcd URL such as http://127.0.0.1:2379") }
            for url in endpoints where !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URL(string: url)?.host == nil {
                throw ValidationError("--cluster: '\(url)' is not an etcd client URL such as http://127.0.0.1:2379")
            }
        }
        for (option, value) in [("--instance", instance), ("--vantage", vantage)] {
            if let value, !FleetOptions.isValidName(value) {
                throw ValidationError("\(option) '\(value)' must be 1 to 64 letters, digits, '-', '_' or '.'")
            }
        }
        guard clusterPrefix.hasPrefix("/"), clusterPrefix.utf8.count <= 256 else {
            throw ValidationError("--cluster-prefix must start with '/' and be at most 256 bytes")
        }
        guard (2...3600).contains(clusterLease) else { throw ValidationError("--cluster-lease must be 2 to 3600 seconds") }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}
