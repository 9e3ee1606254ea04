// The extern "C" surface of CANN.h: argument checks, exceptions turned into messages, the thread pool.
#include "AnnIndex.hpp"

#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

struct dml_ann {
    std::unique_ptr<dml::AnnIndex> index;
};

namespace {

void report(const char *message, char *error, size_t size) {
    if (error == nullptr || size == 0) return;
    std::strncpy(error, message, size - 1);
    error[size - 1] = '\0';
}

/// Runs `body`; an exception becomes its message in `error` and the result `failure`.
template <typename Result, typename Body>
Result guarded(Result failure, char *error, size_t size, Body body) {
    try {
        return body();
    } catch (const std::exception &exception) {
        report(exception.what(), error, size);
    } catch (...) {
        report("unknown C++ exception", error, size);
    }
    return failure;
}

}  // namespace

namespace dml {

void parallelFor(int64_t count, int threads, const std::function<void(int64_t)> &body) {
    std::atomic<int64_t> next{0};
    std::exception_ptr failure;
    std::mutex failureLock;
    auto work = [&] {
        for (int64_t i = next++; i < count; i = next++) {
            try {
                body(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(failureLock);
                if (!failure) failure = std::current_exception();
                next = count;
            }
        }
    };
    int helpers = static_cast<int>(std::min<int64_t>(std::max(threads, 1), count)) - 1;
    std::vector<std::thread> pool;
    for (int t = 0; t < helpers; t++) pool.emplace_back(work);
    work();
    for (auto &thread : pool) thread.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace dml

extern "C" {

dml_ann *dml_ann_create(dml_ann_kind kind, int dimension, dml_ann_metric metric,
                        const dml_ann_build_parameters *parameters, char *error, size_t error_size) {
    return guarded<dml_ann *>(nullptr, error, error_size, [&] {
        if (dimension < 1) throw std::invalid_argument("dimension must be positive");
        if (parameters == nullptr) throw std::invalid_argument("no build parameters");
        auto index = kind == DML_ANN_HNSWLIB ? dml::makeHnswlibIndex(dimension, metric, *parameters)
                                             : dml::makeFaissIndex(kind, dimension, metric, *parameters);
        return new dml_ann{std::move(index)};
    });
}

int dml_ann_add(dml_ann *index, const float *vectors, int64_t count, int64_t first_id, int threads,
                char *error, size_t error_size) {
    return guarded<int>(-1, error, error_size, [&] {
        if (count < 0 || first_id < 0) throw std::invalid_argument("negative count or id");
        if (count > 0) index->index->add(vectors, count, first_id, threads);
        return 0;
    });
}

int dml_ann_search(const dml_ann *index, const float *queries, int64_t count, int k, int effort, int threads,
                   int64_t *ids, float *distances, char *error, size_t error_size) {
    return guarded<int>(-1, error, error_size, [&] {
        if (count < 0 || k < 1) throw std::invalid_argument("negative query count or k < 1");
        if (count > 0) index->index->search(queries, count, k, effort, threads, ids, distances);
        return 0;
    });
}

int64_t dml_ann_count(const dml_ann *index) { return index->index->count(); }

int dml_ann_similarity_is_complemented(const dml_ann *index) { return index->index->complementsInnerProduct() ? 1 : 0; }

int dml_ann_write(const dml_ann *index, const char *path, char *error, size_t error_size) {
    return guarded<int>(-1, error, error_size, [&] {
        index->index->write(path);
        return 0;
    });
}

dml_ann *dml_ann_read(dml_ann_kind kind, int dimension, dml_ann_metric metric, const char *path,
                      char *error, size_t error_size) {
    return guarded<dml_ann *>(nullptr, error, error_size, [&] {
        auto index = kind == DML_ANN_HNSWLIB ? dml::readHnswlibIndex(dimension, metric, path)
                                             : dml::readFaissIndex(kind, dimension, metric, path);
        return new dml_ann{std::move(index)};
    });
}

void dml_ann_free(dml_ann *index) { delete index; }

}  // extern "C"
