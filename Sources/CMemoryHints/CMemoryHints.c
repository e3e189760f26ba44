#include "CMemoryHints.h"

#include <stdlib.h>

#if defined(__linux__)
#include <stdint.h>
#include <sys/mman.h>
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

long switchyard_back_with_huge_pages(const void *start, size_t length) {
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t first = ((uintptr_t)start + huge - 1) & ~(huge - 1);
    uintptr_t last = ((uintptr_t)start + length) & ~(huge - 1);
    if (last <= first) return 0;
    if (madvise((void *)first, last - first, MADV_HUGEPAGE) != 0) return 0;
    return madvise((void *)first, last - first, MADV_COLLAPSE) == 0 ? (long)(last - first) : 0;
}
void *switchyard_allocate_huge_aligned(size_t length) {
    const size_t huge = (size_t)2 << 20;
    void *memory = NULL;
    if (length < huge) return posix_memalign(&memory, 64, length) == 0 ? memory : NULL;
    if (posix_memalign(&memory, huge, length) != 0) return NULL;
    (void)madvise(memory, length - length % huge, MADV_HUGEPAGE);
    return memory;
}
#else
void *switchyard_allocate_huge_aligned(size_t length) {
    void *memory = NULL;
    return posix_memalign(&memory, 64, length) == 0 ? memory : NULL;
}

long switchyard_back_with_huge_pages(const void *start, size_t length) {
    (void)start;
    (void)length;
    return 0;
}
#endif
