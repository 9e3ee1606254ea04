#include "CMalloc.h"

#include <stdlib.h>  // defines __GLIBC__ where glibc is the C library

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int cmalloc_set_thresholds(int mmap_threshold, int trim_threshold) {
#if defined(__GLIBC__)
    int mmap_accepted = mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    int trim_accepted = mallopt(M_TRIM_THRESHOLD, trim_threshold);
    return mmap_accepted == 1 && trim_accepted == 1;
#else
    (void)mmap_threshold;
    (void)trim_threshold;
    return 0;
#endif
}
