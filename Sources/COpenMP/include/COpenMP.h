#ifndef COPENMP_H
#define COPENMP_H
/// Sets the number of OpenMP threads oneDNN uses (libgomp's omp_set_num_threads).
void dml_omp_set_num_threads(int count);
/// The number of OpenMP threads a parallel region will use.
int dml_omp_get_max_threads(void);
#endif
