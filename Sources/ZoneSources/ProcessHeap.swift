import CMallocTuning
import Dispatch
import Synchronization

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

    /// Asks the kernel to back the heap with 2 MiB pages, collapsing what it holds now
    /// (after a load, when the zones' data is in place). A routed answer reads a few
    /// places far apart in a zone's data; with 4 KiB pages most of them also miss the
    /// processor's address translation cache, and in a virtual machine each such miss is a
    /// walk of two sets of page tables. In profiles this was about 6% of a routed answer
    /// on a 10,000-name zone. Thread stacks are left alone. Returns the bytes collapsed
    /// (0 where the system has no such pages).
    @discardableResult
    public static func backWithHugePages() -> Int {
        switchyard_back_heap_with_huge_pages(100_000)
    }

    static let collapsing = Mutex(false)

    /// `backWithHugePages` on a background thread, so that neither the first answer nor a
    /// reload's completion waits for it (it copies the heap: about 0.3 s for a
    /// million-name zone). A call while one is running does nothing.
    public static func backWithHugePagesInBackground() {
        guard collapsing.withLock({ running in
            if running { return false }
            running = true
            return true
        }) else { return }
        DispatchQueue.global(qos: .background).async {
            backWithHugePages()
            collapsing.withLock { $0 = false }
        }
    }
}
