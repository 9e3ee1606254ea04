#ifndef CANN_H
#define CANN_H
// Approximate nearest-neighbour indexes for MLIndex: a plain C interface over Debian's faiss 1.7.3 (static
// C++ library) and hnswlib 0.6 (header-only). Every function catches the libraries' C++ exceptions and
// returns them as a message in `error` (NUL-terminated, at most `error_size` bytes); no exception crosses
// into Swift. Vectors are row-major float32; labels are the rows' ids (int64). Distances are the
// library's: squared L2 for DML_ANN_L2, and 1 − inner product (hnswlib) or the inner product (faiss) for
// DML_ANN_INNER_PRODUCT — `dml_ann_similarity_is_inner_product` tells which, so callers can convert.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An index of one of the kinds below.
typedef struct dml_ann dml_ann;

/// The structures the shim builds.
typedef enum {
    DML_ANN_HNSWLIB = 0,     ///< hnswlib's HierarchicalNSW (graph), distances computed by this shim (AVX-512/AVX2/SSE)
    DML_ANN_FAISS_HNSW = 1,  ///< faiss IndexHNSWFlat
    DML_ANN_FAISS_IVF = 2,   ///< faiss IndexIVFFlat over a flat coarse quantizer
} dml_ann_kind;

/// The metric the structure ranks by.
typedef enum {
    DML_ANN_INNER_PRODUCT = 0,  ///< larger inner product is nearer (cosine on normalised vectors)
    DML_ANN_L2 = 1,             ///< smaller squared Euclidean distance is nearer
} dml_ann_metric;

/// Build parameters. HNSW: `m` links per node, `ef_construction` candidates while inserting.
/// IVF: `lists` inverted lists (k-means centroids trained on at most `training_points` of the vectors
/// added first, `seed` for the sampling), `lists` ignored by HNSW kinds. `capacity`: hnswlib's initial
/// element capacity (grown on demand).
typedef struct {
    int m;
    int ef_construction;
    int lists;
    int64_t training_points;
    int64_t seed;
    int64_t capacity;
} dml_ann_build_parameters;

/// A new empty index of `dimension`, or NULL with the reason in `error`.
dml_ann *dml_ann_create(dml_ann_kind kind, int dimension, dml_ann_metric metric,
                        const dml_ann_build_parameters *parameters, char *error, size_t error_size);

/// Adds `count` vectors with ids first_id, first_id + 1, … on `threads` threads (IVF trains its
/// quantizer on the first call). Returns 0, or −1 with the reason in `error`.
int dml_ann_add(dml_ann *index, const float *vectors, int64_t count, int64_t first_id, int threads,
                char *error, size_t error_size);

/// The `k` nearest ids of each of `count` queries (ids and distances count × k, nearest first; −1 ids
/// pad rows with fewer hits). `effort` is HNSW's ef_search or IVF's nprobe. Runs on `threads` threads,
/// one query per thread at a time. Returns 0, or −1 with the reason in `error`.
int dml_ann_search(const dml_ann *index, const float *queries, int64_t count, int k, int effort, int threads,
                   int64_t *ids, float *distances, char *error, size_t error_size);

/// The number of vectors held.
int64_t dml_ann_count(const dml_ann *index);

/// Whether the reported distances of an inner-product index are 1 − ⟨q, x⟩ (1) or ⟨q, x⟩ itself (0).
int dml_ann_similarity_is_complemented(const dml_ann *index);

/// Writes the index to `path` (the library's own format). Returns 0, or −1 with the reason in `error`.
int dml_ann_write(const dml_ann *index, const char *path, char *error, size_t error_size);

/// Reads an index written by `dml_ann_write` of this kind, dimension and metric, or NULL with the
/// reason. The file is trusted input: the libraries' readers are not hardened against hostile files.
dml_ann *dml_ann_read(dml_ann_kind kind, int dimension, dml_ann_metric metric, const char *path,
                      char *error, size_t error_size);

/// Releases the index.
void dml_ann_free(dml_ann *index);

#ifdef __cplusplus
}
#endif

#endif
