#include "CMallocTuning.h"
#include <stdlib.h>  /* defines __GLIBC__ where glibc is the C library */

#if defined(__GLIBC__)
#include <malloc.h>

int switchyard_map_large_blocks_separately(int threshold) { return mallopt(M_MMAP_THRESHOLD, threshold); }
int switchyard_release_free_heap_pages(void) { return malloc_trim(0); }
#else
int switchyard_map_large_blocks_separately(int threshold) { (void)threshold; return 0; }
int switchyard_release_free_heap_pages(void) { return 0; }
#endif
