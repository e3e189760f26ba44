import DNSWire
import Synchronization

/// Which `Host` and `Origin` headers the admin API accepts (SPEC §5), so a web page on
/// another site cannot drive it from an operator's browser: not by a cross-site request
/// (its `Origin` names that site) and not by DNS rebinding (its `Host` is that site's
/// name, now resolving to us).
///
/// `Host` must be the listen address or `localhost`, with or without the port (when given,
/// it must be ours). `Origin`, when sent, must be `http://HOST:PORT` with such a host and
/// our port. A request without `Host` or `Origin` comes from no browser and passes. On a
/// wildcard address (`0.0.0.0`, `::`), any IP address literal is accepted as the host:
/// rebinding needs a name, and the addresses we answer on cannot be listed in advance.
public final class AdminSitePolicy: Sendable {
    public let listenHost: String
    let listenAddress: IPAddress?
    let wildcard: Bool
    /// The bound port, known once the server runs (the configured one may be 0).
    let boundPort: Atomic<Int>

    public init(listenHost: String, port: Int) {
        self.listenHost = listenHost
        listenAddress = IPAddress(listenHost)
        wildcard = listenHost == "0.0.0.0" || listenAddress == IPAddress("::")
        boundPort = Atomic(port)
    }

    public var port: Int { boundPort.load(ordering: .relaxed) }

    public func setPort(_ port: Int) { boundPort.store(port, ordering: .relaxed) }

    public func allowsHost(_ header: String?) -> Bool {
        guard let header else { return true }
        guard let (host, port) = AdminSitePolicy.split(header.trimmingCharacters(in: .whitespaces)) else { return false }
        if let port, port != self.port { return false }
        return allows(hostName: host)
    }

    public func allowsOrigin(_ header: String?) -> Bool {
        guard let header else { return true }
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("http://") else { return false }
        guard let (host, port) = AdminSitePolicy.split(String(text.dropFirst(7))) else { return false }
        return (port ?? 80) == self.port && allows(hostName: host)
    }

    func allows(hostName: String) -> Bool {
        let name = hostName.lowercased()
        if name == "localhost" { return true }
        guard let address = IPAddress(name) else { return false }
        return wildcard || address == listenAddress
    }

    /// "HOST", "HOST:PORT", "[V6]" or "[V6]:PORT"; nil when malformed.
    static func split(_ text: String) -> (host: String, port: Int?)? {
        guard !text.isEmpty else { return nil }
        var host: Substring
        var rest: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            rest = text[text.index(after: close)...]
        } else {
            guard text.filter({ $0 == ":" }).count <= 1 else { return nil }
            let colon = text.firstIndex(of: ":") ?? text.endIndex
            host = text[..<colon]
            rest = text[colon...]
        }
        guard !host.isEmpty else { return nil }
        if rest.isEmpty { return (String(host), nil) }
        guard rest.first == ":", rest.count > 1, rest.count <= 6, rest.dropFirst().allSatisfy({ $0 >= "0" && $0 <= "9" }),
              let port = Int(rest.dropFirst()), port <= 65535 else { return nil }
        return (String(host), port)
    }
}
