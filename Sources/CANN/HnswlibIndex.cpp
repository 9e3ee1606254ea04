// HNSW through Debian's header-only hnswlib 0.6, with this shim's distance kernels as the space.
#include "AnnIndex.hpp"

#include <hnswlib/hnswlib.h>

#include <mutex>
#include <shared_mutex>
#include <stdexcept>

namespace dml {
namespace {

/// An hnswlib space whose distance is 1 − ⟨a, b⟩ or ‖a − b‖², computed by Distances.cpp.
class Space final : public hnswlib::SpaceInterface<float> {
public:
    Space(size_t dimension, dml_ann_metric metric) : dimension_(dimension), metric_(metric) {}
    size_t get_data_size() override { return dimension_ * sizeof(float); }
    hnswlib::DISTFUNC<float> get_dist_func() override {
        return metric_ == DML_ANN_L2 ? &Space::l2 : &Space::complementedInnerProduct;
    }
    void *get_dist_func_param() override { return &dimension_; }

private:
    static float complementedInnerProduct(const void *a, const void *b, const void *dimension) {
        return 1.0f - innerProduct(static_cast<const float *>(a), static_cast<const float *>(b),
                                   *static_cast<const size_t *>(dimension));
    }
    static float l2(const void *a, const void *b, const void *dimension) {
        return squaredL2(static_cast<const float *>(a), static_cast<const float *>(b),
                         *static_cast<const size_t *>(dimension));
    }
    size_t dimension_;
    dml_ann_metric metric_;
};

class HnswlibIndex final : public AnnIndex {
public:
    HnswlibIndex(int dimension, dml_ann_metric metric, const dml_ann_build_parameters &parameters)
        : space_(dimension, metric), dimension_(dimension) {
        if (parameters.m < 2 || parameters.ef_construction < 1) throw std::invalid_argument("HNSW needs m >= 2 and ef_construction >= 1");
        graph_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(
            &space_, static_cast<size_t>(std::max<int64_t>(parameters.capacity, 1)), parameters.m,
            parameters.ef_construction, static_cast<size_t>(parameters.seed));
    }

    HnswlibIndex(int dimension, dml_ann_metric metric, const std::string &path) : space_(dimension, metric), dimension_(dimension) {
        graph_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(&space_, path);
        // The file's element layout is links, vector, label: its vector size must be this dimension's.
        size_t stored = graph_->label_offset_ - graph_->offsetData_;
        if (stored != static_cast<size_t>(dimension) * sizeof(float)) {
            throw std::runtime_error("the hnswlib file holds vectors of " + std::to_string(stored / sizeof(float))
                                     + " floats, the index metadata says " + std::to_string(dimension));
        }
    }

    void add(const float *vectors, int64_t count, int64_t firstID, int threads) override {
        std::unique_lock<std::shared_mutex> lock(mutex_);
        size_t needed = graph_->cur_element_count + static_cast<size_t>(count);
        if (needed > graph_->max_elements_) graph_->resizeIndex(std::max(needed, graph_->max_elements_ * 2));
        parallelFor(count, threads, [&](int64_t i) {
            graph_->addPoint(vectors + i * dimension_, static_cast<hnswlib::labeltype>(firstID + i));
        });
    }

    void search(const float *queries, int64_t count, int k, int effort, int threads, int64_t *ids,
                float *distances) const override {
        setEffort(static_cast<size_t>(std::max(effort, k)));
        std::shared_lock<std::shared_mutex> lock(mutex_);
        parallelFor(count, threads, [&](int64_t q) {
            auto found = graph_->searchKnn(queries + q * dimension_, static_cast<size_t>(k));
            // The queue pops the farthest first; ties keep hnswlib's order, callers re-sort by id.
            int64_t filled = static_cast<int64_t>(found.size());
            for (int64_t slot = k - 1; slot >= filled; slot--) {
                ids[q * k + slot] = -1;
                distances[q * k + slot] = 0;
            }
            for (int64_t slot = filled - 1; slot >= 0; slot--) {
                ids[q * k + slot] = static_cast<int64_t>(found.top().second);
                distances[q * k + slot] = found.top().first;
                found.pop();
            }
        });
    }

    int64_t count() const override { return static_cast<int64_t>(graph_->cur_element_count); }
    bool complementsInnerProduct() const override { return true; }
    void write(const std::string &path) const override {
        std::shared_lock<std::shared_mutex> lock(mutex_);
        graph_->saveIndex(path);
    }

private:
    /// hnswlib keeps ef_search in the graph: change it only while no search runs.
    void setEffort(size_t effort) const {
        {
            std::shared_lock<std::shared_mutex> lock(mutex_);
            if (graph_->ef_ == effort) return;
        }
        std::unique_lock<std::shared_mutex> lock(mutex_);
        graph_->setEf(effort);
    }

    Space space_;
    int dimension_;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph_;
    mutable std::shared_mutex mutex_;
};

}  // namespace

std::unique_ptr<AnnIndex> makeHnswlibIndex(int dimension, dml_ann_metric metric, const dml_ann_build_parameters &parameters) {
    return std::make_unique<HnswlibIndex>(dimension, metric, parameters);
}

std::unique_ptr<AnnIndex> readHnswlibIndex(int dimension, dml_ann_metric metric, const std::string &path) {
    return std::make_unique<HnswlibIndex>(dimension, metric, path);
}

}  // namespace dml
