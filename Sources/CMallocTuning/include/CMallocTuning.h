#ifndef C_MALLOC_TUNING_H
#define C_MALLOC_TUNING_H

/// glibc's malloc tuning calls, which Swift's Glibc module does not expose. Both do
/// nothing where glibc is not the allocator.
int switchyard_map_large_blocks_separately(int threshold);
int switchyard_release_free_heap_pages(void);

#endif
