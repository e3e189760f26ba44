import CMallocTuning

/// How the process's heap treats a zone's big arrays, so memory freed by a reload goes
/// back to the system instead of staying in the process as holes.
public enum ProcessHeap {
    /// Blocks of a mebibyte and more are mapped on their own and unmapped when freed.
    /// glibc's default threshold rises as big blocks are freed (up to 32 MiB), after which
    /// a reload's arrays come from the heap and their space is kept after the old zone
    /// is gone. Call once, before the first zone is loaded.
    public static func mapLargeBlocksSeparately() {
        _ = switchyard_map_large_blocks_separately(1 << 20)
    }

    /// Returns the heap's free pages to the system (after a load has dropped its work and
    /// the previous zones).
    public static func releaseFreePages() {
        _ = switchyard_release_free_heap_pages()
    }
}
