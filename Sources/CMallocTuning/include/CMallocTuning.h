#ifndef C_MALLOC_TUNING_H
#define C_MALLOC_TUNING_H

/// glibc's malloc tuning calls, which Swift's Glibc module does not expose. Both do
/// nothing where glibc is not the allocator.
int switchyard_map_large_blocks_separately(int threshold);
int switchyard_release_free_heap_pages(void);
/// Backs the heap with transparent huge pages where the kernel allows it (Linux with
/// glibc); returns the bytes collapsed into them, 0 elsewhere, -1 on failure.
long switchyard_back_heap_with_huge_pages(int limit);

#endif
