// The C++ side of CANN.h: one abstract index, implemented over hnswlib (HnswlibIndex.cpp) and faiss
// (FaissIndex.cpp). Errors are thrown as exceptions and turned into messages by CANN.cpp.
#pragma once

#include "CANN.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace dml {

class AnnIndex {
public:
    virtual ~AnnIndex() = default;
    virtual void add(const float *vectors, int64_t count, int64_t firstID, int threads) = 0;
    virtual void search(const float *queries, int64_t count, int k, int effort, int threads,
                        int64_t *ids, float *distances) const = 0;
    virtual int64_t count() const = 0;
    virtual bool complementsInnerProduct() const = 0;
    virtual void write(const std::string &path) const = 0;
};

std::unique_ptr<AnnIndex> makeHnswlibIndex(int dimension, dml_ann_metric metric, const dml_ann_build_parameters &parameters);
std::unique_ptr<AnnIndex> readHnswlibIndex(int dimension, dml_ann_metric metric, const std::string &path);
std::unique_ptr<AnnIndex> makeFaissIndex(dml_ann_kind kind, int dimension, dml_ann_metric metric,
                                         const dml_ann_build_parameters &parameters);
std::unique_ptr<AnnIndex> readFaissIndex(dml_ann_kind kind, int dimension, dml_ann_metric metric, const std::string &path);

/// Runs body(i) for i in [0, count) on `threads` threads (the calling one included), each taking the
/// next index as it finishes the last. The first exception thrown is rethrown after all threads stop.
void parallelFor(int64_t count, int threads, const std::function<void(int64_t)> &body);

/// Inner product and squared L2 distance of two `dimension`-vectors, with the widest SIMD the CPU has
/// (chosen once at start-up: AVX-512F, AVX2 with FMA, or plain SSE code).
float innerProduct(const float *a, const float *b, size_t dimension);
float squaredL2(const float *a, const float *b, size_t dimension);

}  // namespace dml
