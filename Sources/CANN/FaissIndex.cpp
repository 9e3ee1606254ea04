// HNSW and IVF-flat through Debian's faiss 1.7.3 (static library, baseline x86-64 build, OpenMP).
#include "AnnIndex.hpp"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/index_io.h>
#include <omp.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <vector>

namespace dml {
namespace {

faiss::MetricType faissMetric(dml_ann_metric metric) {
    return metric == DML_ANN_L2 ? faiss::METRIC_L2 : faiss::METRIC_INNER_PRODUCT;
}

/// Sets the calling thread's OpenMP team size for the scope (faiss parallelises with OpenMP).
class OpenMPThreads {
public:
    explicit OpenMPThreads(int threads) : saved_(omp_get_max_threads()) { omp_set_num_threads(std::max(threads, 1)); }
    ~OpenMPThreads() { omp_set_num_threads(saved_); }

private:
    int saved_;
};

class FaissIndex final : public AnnIndex {
public:
    FaissIndex(dml_ann_kind kind, int dimension, dml_ann_metric metric, const dml_ann_build_parameters &parameters)
        : kind_(kind), dimension_(dimension), trainingPoints_(parameters.training_points), seed_(parameters.seed) {
        if (kind == DML_ANN_FAISS_HNSW) {
            if (parameters.m < 2 || parameters.ef_construction < 1) throw std::invalid_argument("HNSW needs m >= 2 and ef_construction >= 1");
            auto hnsw = std::make_unique<faiss::IndexHNSWFlat>(dimension, parameters.m, faissMetric(metric));
            hnsw->hnsw.efConstruction = parameters.ef_construction;
            index_ = std::move(hnsw);
        } else {
            if (parameters.lists < 1) throw std::invalid_argument("IVF needs at least one list");
            faiss::Index *quantizer = metric == DML_ANN_L2 ? static_cast<faiss::Index *>(new faiss::IndexFlatL2(dimension))
                                                           : new faiss::IndexFlatIP(dimension);
            auto ivf = std::make_unique<faiss::IndexIVFFlat>(quantizer, dimension, parameters.lists, faissMetric(metric));
            ivf->own_fields = true;
            ivf->cp.seed = static_cast<int>(parameters.seed);
            index_ = std::move(ivf);
        }
    }

    FaissIndex(dml_ann_kind kind, int dimension, const std::string &path) : kind_(kind), dimension_(dimension) {
        index_.reset(faiss::read_index(path.c_str()));
        bool rightType = kind == DML_ANN_FAISS_HNSW ? dynamic_cast<faiss::IndexHNSWFlat *>(index_.get()) != nullptr
                                                    : dynamic_cast<faiss::IndexIVFFlat *>(index_.get()) != nullptr;
        if (!rightType) throw std::runtime_error("the faiss file holds another kind of index than the metadata says");
        if (index_->d != dimension) {
            throw std::runtime_error("the faiss file holds vectors of " + std::to_string(index_->d)
                                     + " floats, the index metadata says " + std::to_string(dimension));
        }
    }

    void add(const float *vectors, int64_t count, int64_t firstID, int threads) override {
        if (firstID != index_->ntotal) throw std::invalid_argument("faiss ids must continue from the vectors already held");
        OpenMPThreads team(threads);
        if (!index_->is_trained) train(vectors, count);
        index_->add(count, vectors);
    }

    void search(const float *queries, int64_t count, int k, int effort, int threads, int64_t *ids,
                float *distances) const override {
        OpenMPThreads team(threads);
        faiss::SearchParametersHNSW hnsw;
        faiss::SearchParametersIVF ivf;
        hnsw.efSearch = std::max(effort, k);
        ivf.nprobe = static_cast<size_t>(std::max(effort, 1));
        const faiss::SearchParameters *parameters = kind_ == DML_ANN_FAISS_HNSW ? static_cast<faiss::SearchParameters *>(&hnsw) : &ivf;
        std::vector<faiss::Index::idx_t> labels(static_cast<size_t>(count * k));
        index_->search(count, queries, k, distances, labels.data(), parameters);
        std::copy(labels.begin(), labels.end(), ids);
    }

    int64_t count() const override { return index_->ntotal; }
    bool complementsInnerProduct() const override { return false; }
    void write(const std::string &path) const override { faiss::write_index(index_.get(), path.c_str()); }

private:
    /// k-means of the coarse quantizer on a seeded sample of at most `trainingPoints_` vectors.
    void train(const float *vectors, int64_t count) {
        int64_t sample = std::min(count, std::max<int64_t>(trainingPoints_, 1));
        if (sample == count) {
            index_->train(count, vectors);
            return;
        }
        std::vector<int64_t> rows(static_cast<size_t>(count));
        for (int64_t i = 0; i < count; i++) rows[static_cast<size_t>(i)] = i;
        std::mt19937_64 generator(static_cast<uint64_t>(seed_));
        for (int64_t i = 0; i < sample; i++) {
            std::uniform_int_distribution<int64_t> pick(i, count - 1);
            std::swap(rows[static_cast<size_t>(i)], rows[static_cast<size_t>(pick(generator))]);
        }
        std::vector<float> chosen(static_cast<size_t>(sample * dimension_));
        for (int64_t i = 0; i < sample; i++) {
            std::copy_n(vectors + rows[static_cast<size_t>(i)] * dimension_, dimension_, chosen.begin() + i * dimension_);
        }
        index_->train(sample, chosen.data());
    }

    dml_ann_kind kind_;
    int dimension_;
    int64_t trainingPoints_ = 0;
    int64_t seed_ = 0;
    std::unique_ptr<faiss::Index> index_;
};

}  // namespace

std::unique_ptr<AnnIndex> makeFaissIndex(dml_ann_kind kind, int dimension, dml_ann_metric metric,
                                         const dml_ann_build_parameters &parameters) {
    return std::make_unique<FaissIndex>(kind, dimension, metric, parameters);
}

std::unique_ptr<AnnIndex> readFaissIndex(dml_ann_kind kind, int dimension, dml_ann_metric, const std::string &path) {
    return std::make_unique<FaissIndex>(kind, dimension, path);
}

}  // namespace dml
