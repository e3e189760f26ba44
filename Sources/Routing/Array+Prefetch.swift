import CMemoryHints

extension Array {
    /// Starts fetching the cache line that holds element `index`, for a read a little
    /// later. A hint: nothing is read, and it never faults (an empty array fetches nothing).
    @inlinable @inline(__always)
    public func prefetch(at index: Int) {
        withUnsafeBufferPointer { if let base = $0.baseAddress { switchyard_prefetch(base + index) } }
    }

    /// Starts fetching the start of the array's elements.
    @inlinable @inline(__always)
    public func prefetchElements() { prefetch(at: 0) }
}
