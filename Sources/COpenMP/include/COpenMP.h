#ifndef COPENMP_H
#define COPENMP_H
/// Sets the number of OpenMP threads oneDNN uses (libgomp's omp_set_num_threads).
void dml_omp_set_num_threads(int count);
/// The number of OpenMP threads a parallel region will use.
int dml_omp_get_max_threads(void);
/// Runs body(context, i) for i in 0..<count on `threads` threads of libgomp's team (the one oneDNN uses,
/// so its threads are not left spinning while other threads work), each thread taking the next i as it
/// finishes one, and returns when all have finished.
void dml_omp_parallel(int threads, long count, void (*body)(void *context, long index), void *context);
#endif
