// mpi.h for Swift, written against the MPI standard only, so the module builds with Open MPI and MPICH.
//
// The standard defines its handles and constants as macros, which Open MPI makes addresses of library
// globals and MPICH integer casts; Swift imports neither kind, so inline accessors return them. Requests
// differ in type too (a pointer in Open MPI, an int in MPICH): they live in C memory behind `void *`, and
// the non-blocking calls take them that way, so Swift code never names MPI_Request.
#include <mpi.h>
#include <stdlib.h>

static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype cmpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype cmpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype cmpi_int32(void) { return MPI_INT32_T; }
static inline MPI_Datatype cmpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype cmpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op cmpi_sum(void) { return MPI_SUM; }
static inline MPI_Op cmpi_max(void) { return MPI_MAX; }
static inline MPI_Op cmpi_min(void) { return MPI_MIN; }
static inline MPI_Errhandler cmpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline void *cmpi_in_place(void) { return MPI_IN_PLACE; }
static inline int cmpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int cmpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }

/// A duplicate of `comm` (MPI_COMM_NULL when `*error` is not MPI_SUCCESS).
static inline MPI_Comm cmpi_comm_dup(MPI_Comm comm, int *error) {
    MPI_Comm copy = MPI_COMM_NULL;
    *error = MPI_Comm_dup(comm, &copy);
    return copy;
}
static inline int cmpi_comm_free(MPI_Comm comm) { return MPI_Comm_free(&comm); }

/// A request slot (MPI_REQUEST_NULL), freed with cmpi_request_delete.
static inline void *cmpi_request_new(void) {
    MPI_Request *request = malloc(sizeof(MPI_Request));
    if (request) *request = MPI_REQUEST_NULL;
    return request;
}
static inline void cmpi_request_delete(void *request) { free(request); }
static inline int cmpi_test(void *request, int *done) {
    return MPI_Test((MPI_Request *)request, done, MPI_STATUS_IGNORE);
}

static inline int cmpi_ibarrier(MPI_Comm comm, void *request) { return MPI_Ibarrier(comm, (MPI_Request *)request); }
static inline int cmpi_ibcast(void *buffer, int count, MPI_Datatype type, int root, MPI_Comm comm, void *request) {
    return MPI_Ibcast(buffer, count, type, root, comm, (MPI_Request *)request);
}
/// In place: `buffer` holds this process's values and receives the reduction.
static inline int cmpi_iallreduce(void *buffer, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm, void *request) {
    return MPI_Iallreduce(MPI_IN_PLACE, buffer, count, type, op, comm, (MPI_Request *)request);
}
static inline int cmpi_iallgather(const void *send, int count, MPI_Datatype type, void *receive, MPI_Comm comm,
                                  void *request) {
    return MPI_Iallgather(send, count, type, receive, count, type, comm, (MPI_Request *)request);
}
static inline int cmpi_iallgatherv(const void *send, int count, MPI_Datatype type, void *receive, const int *counts,
                                   const int *displacements, MPI_Comm comm, void *request) {
    return MPI_Iallgatherv(send, count, type, receive, counts, displacements, type, comm, (MPI_Request *)request);
}
static inline int cmpi_igatherv(const void *send, int count, MPI_Datatype type, void *receive, const int *counts,
                                const int *displacements, int root, MPI_Comm comm, void *request) {
    return MPI_Igatherv(send, count, type, receive, counts, displacements, type, root, comm, (MPI_Request *)request);
}
