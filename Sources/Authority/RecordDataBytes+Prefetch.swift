import CMemoryHints
import DNSWire

extension RecordDataBytes {
    /// Starts fetching the first records' bytes, which the encoder copies a little later:
    /// a zone's records are megabytes of bytes read at random, and the wait for them
    /// otherwise comes in the middle of writing the answer.
    @inline(__always)
    func prefetch() {
        guard start < end else { return }
        storage.withUnsafeBufferPointer { switchyard_prefetch($0.baseAddress! + start) }
    }
}

extension Array {
    /// Starts fetching the start of the array's elements.
    @inline(__always)
    func prefetchElements() {
        withUnsafeBufferPointer { if let base = $0.baseAddress { switchyard_prefetch(base) } }
    }
}
