#include "COpenMP.h"

// libgomp's entry points, declared here: Swift's clang does not search GCC's include directory for omp.h.
extern void omp_set_num_threads(int count);
extern int omp_get_max_threads(void);

void dml_omp_set_num_threads(int count) { omp_set_num_threads(count); }
int dml_omp_get_max_threads(void) { return omp_get_max_threads(); }
