#include "CMallocTuning.h"
#include <stdlib.h>  /* defines __GLIBC__ where glibc is the C library */

#if defined(__GLIBC__)
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include "CMemoryHints.h"

int switchyard_map_large_blocks_separately(int threshold) { return mallopt(M_MMAP_THRESHOLD, threshold); }
int switchyard_release_free_heap_pages(void) { return malloc_trim(0); }

/* The heap's anonymous mappings (glibc's main heap, its per-thread arenas, blocks mapped
 * on their own), marked for transparent huge pages and collapsed into them now. A thread's
 * stack is left alone: its mapping follows a small guard mapping with no access, and
 * backing it with huge pages would make megabytes of an unused stack resident. Reads at
 * most `limit` lines of the map. Returns the bytes now in huge pages, or -1. */
long switchyard_back_heap_with_huge_pages(int limit) {
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) return -1;
    char line[512];
    unsigned long previousEnd = 0, previousSize = 0;
    int previousGuard = 0;
    long collapsed = 0;
    for (int n = 0; n < limit && fgets(line, sizeof line, maps); n++) {
        unsigned long start, end, offset, inode;
        char perms[5], device[16];
        int consumed = 0;
        if (sscanf(line, "%lx-%lx %4s %lx %15s %lu %n", &start, &end, perms, &offset, device, &inode, &consumed) < 6) continue;
        int afterGuard = previousGuard && previousEnd == start && previousSize <= (1UL << 20);
        previousGuard = strncmp(perms, "---p", 4) == 0;
        previousEnd = end;
        previousSize = end - start;
        const char *path = line + consumed;
        int anonymous = inode == 0 && (*path == '\n' || *path == '\0' || strncmp(path, "[heap]", 6) == 0);
        if (!anonymous || afterGuard || strncmp(perms, "rw-p", 4) != 0) continue;
        collapsed += switchyard_back_with_huge_pages((const void *)start, end - start);
    }
    fclose(maps);
    return collapsed;
}
#else
long switchyard_back_heap_with_huge_pages(int limit) { (void)limit; return 0; }
int switchyard_map_large_blocks_separately(int threshold) { (void)threshold; return 0; }
int switchyard_release_free_heap_pages(void) { return 0; }
#endif
