#ifndef CMALLOC_H
#define CMALLOC_H

/// Sets glibc's M_MMAP_THRESHOLD and M_TRIM_THRESHOLD (malloc.h is not on Swift's include path).
/// Returns 1 when both settings were accepted, 0 otherwise (or where glibc is not the allocator).
int cmalloc_set_thresholds(int mmap_threshold, int trim_threshold);

#endif
