import DNSWire
import Routing

extension RecordDataBytes {
    /// Starts fetching the first records' bytes, which the encoder copies a little later:
    /// a zone's records are megabytes of bytes read at random, and the wait for them
    /// otherwise comes in the middle of writing the answer.
    @inline(__always)
    func prefetch() {
        guard start < end else { return }
        storage.prefetch(at: start)
    }
}
