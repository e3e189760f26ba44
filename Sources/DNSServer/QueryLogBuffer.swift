import DNSWire
import Authority
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `--query-log` lines of one handler, written to standard output with one write per
/// read burst so lines from different threads never interleave mid-line.
public struct QueryLogBuffer {
    var bytes: [UInt8] = []

    public init() {}

    /// `client=… ecs=… name=… type=… rcode=… policy=… set=… transport=…`
    mutating func append(query: Query, response: Response, source: IPAddress, transport: Transport, truncated: Bool) {
        var line = "query client=\(source) ecs=\(query.clientSubnet.map { "\($0.address)/\($0.sourcePrefixLength)" } ?? "-")"
        line += " name=\(query.question.name) type=\(query.question.type) rcode=\(response.rcode)"
        line += " policy=\(response.policy?.rawValue ?? "-") set=\(response.setID ?? "-")"
        line += " scope=\(response.clientSubnetScope) transport=\(transport.rawValue)\(truncated ? " tc=1" : "")\n"
        bytes += line.utf8
    }

    public mutating func flush() {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
