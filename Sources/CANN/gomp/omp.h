// The part of libgomp's OpenMP API that faiss's headers and this shim use. GCC's own omp.h is not on
// clang's include path (it lives in GCC's private folder), so this target declares what it needs here,
// with libgomp's Linux layout of omp_lock_t (4 bytes, 4-aligned). faiss's headers name the lock type
// only in function signatures, so no faiss structure's layout depends on this file.
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    unsigned char _x[4] __attribute__((__aligned__(4)));
} omp_lock_t;

int omp_get_max_threads(void);
void omp_set_num_threads(int);

#ifdef __cplusplus
}
#endif
