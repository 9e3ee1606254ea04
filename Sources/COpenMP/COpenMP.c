#include "COpenMP.h"

// libgomp's entry points, declared here: Swift's clang does not search GCC's include directory for omp.h.
extern void omp_set_num_threads(int count);
extern int omp_get_max_threads(void);
// What `#pragma omp parallel num_threads(n)` compiles to with GCC.
extern void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);

void dml_omp_set_num_threads(int count) { omp_set_num_threads(count); }
int dml_omp_get_max_threads(void) { return omp_get_max_threads(); }

typedef struct {
    void (*body)(void *, long);
    void *context;
    long count;
    long next;
} dml_parallel_task;

static void dml_parallel_trampoline(void *data) {
    dml_parallel_task *task = data;
    long index;
    while ((index = __atomic_fetch_add(&task->next, 1, __ATOMIC_RELAXED)) < task->count) {
        task->body(task->context, index);
    }
}

void dml_omp_parallel(int threads, long count, void (*body)(void *context, long index), void *context) {
    dml_parallel_task task = {body, context, count, 0};
    GOMP_parallel(dml_parallel_trampoline, &task, (unsigned)threads, 0);
}
