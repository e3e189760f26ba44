#ifndef SWITCHYARD_CMEMORYHINTS_H
#define SWITCHYARD_CMEMORYHINTS_H

#include <stddef.h>

/// Asks the processor to start fetching the cache line at `address` for writing, so that
/// a later update of it does not wait on memory. A hint: it never faults, whatever the
/// address. Swift has no way to say this itself.
static inline void switchyard_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// The same for reading.
static inline void switchyard_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Asks the kernel to back the whole 2 MiB pages inside [start, start + length) with
/// transparent huge pages, collapsing what they hold now (Linux; nothing elsewhere).
/// Returns the bytes collapsed.
long switchyard_back_with_huge_pages(const void *start, size_t length);

/// Allocates `length` bytes (to be released with free()): from 2 MiB on, aligned to 2 MiB
/// and marked for transparent huge pages before any is touched, so that the first write
/// of each 2 MiB faults in one huge page (Linux; plain memory elsewhere or when the kernel
/// declines). NULL when out of memory.
void *switchyard_allocate_huge_aligned(size_t length);

#endif
