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

#endif
