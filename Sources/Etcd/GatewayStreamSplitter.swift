import NIOCore

/// Cuts a gateway stream into its JSON messages. The gateway writes one message per line,
/// and a chunk of the HTTP body may end inside a message or hold several; the part of a
/// message not yet complete is kept, up to `limit` bytes, so a peer that never ends a line
/// cannot make the client buffer without bound.
struct GatewayStreamSplitter {
    let limit: Int
    private var pending: [UInt8] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// The messages `chunk` completes, in order; blank lines are skipped.
    mutating func append(_ chunk: ByteBuffer) throws(EtcdError) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        let view = chunk.readableBytesView
        var start = view.startIndex
        while let newline = view[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if pending.count + (newline - start) > limit { throw tooLong }
            pending.append(contentsOf: view[start..<newline])
            if pending.contains(where: { !Self.isBlank($0) }) {
                messages.append(pending)
            }
            pending.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        if pending.count + (view.endIndex - start) > limit { throw tooLong }
        pending.append(contentsOf: view[start...])
        return messages
    }

    /// True when bytes of an unfinished message are waiting.
    var hasPartialMessage: Bool { !pending.isEmpty }

    /// What is left after the stream ended: a last message the peer did not end with a
    /// newline, or nil.
    var remainder: [UInt8]? {
        pending.contains(where: { !Self.isBlank($0) }) ? pending : nil
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    private var tooLong: EtcdError { .malformed("a stream message longer than \(limit) bytes") }
}
