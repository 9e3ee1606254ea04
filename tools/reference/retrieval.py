"""Reference fixtures for Evaluation/: exact kNN (faiss), retrieval metrics (PML), NMI/AMI and k-means (sklearn).

Run from the repository root: TORCH_PYTHON tools/reference/retrieval.py (docs/DESIGN.md §1)
Writes Tests/Fixtures/retrieval_metrics.json, knn_{cosine,dot,l2}.json and clustering.json.

Embeddings: from Seeded(41), noise = array32((260, 24)), labels = floor(unit(260) * 30), centres =
array32((30, 24), 0.5), x = centres[labels] + noise in float32; then the copies in meta["copies"] ([source, destination,
scale]: row destination = scale * row source) so that duplicates (exact ties) sit across the block
boundaries the Swift tests use (block sizes 7 and 64), and a cosine-only tie (a row scaled by 2).
Duplicates share a label, so the metrics do not depend on how a tie is broken. Label 999 has one member
(a lone query); in query/gallery mode (queries rows 0..<80, gallery rows 80..<260) label 998 exists only
among the queries.
"""
import os
import sys
import types

import faiss
import numpy as np
import torch

if "tqdm" not in sys.modules:
    try:
        import tqdm  # noqa: F401  (PML imports it for progress bars only)
    except ImportError:  # not installed beside PML: a pass-through stand-in suffices
        stub = types.ModuleType("tqdm")
        stub.tqdm = lambda iterable=None, *args, **kwargs: iterable
        sys.modules["tqdm"] = stub
from pytorch_metric_learning.utils.accuracy_calculator import AccuracyCalculator
from pytorch_metric_learning.utils.inference import FaissKNN
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_mutual_info_score, normalized_mutual_info_score

sys.path.insert(0, os.path.dirname(__file__))
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

OUT = "Tests/Fixtures"
N, D, QUERIES, CLASSES = 260, 24, 80, 30
COPIES = [[10, 70, 1.0], [63, 64, 1.0], [127, 128, 1.0], [20, 100, 1.0], [5, 200, 2.0], [150, 13, 1.0]]
RECALL_KS = [1, 2, 4, 8, 16, 32]
KNN_K = 10


def embeddings_and_labels():
    rng = Seeded(41)
    noise = rng.array32((N, D)).astype(np.float32)
    labels = np.floor(rng.unit(N) * CLASSES).astype(np.int64)
    centres = rng.array32((CLASSES, D), 0.5).astype(np.float32)
    x = (centres[labels] + noise).astype(np.float64)
    for source, destination, scale in COPIES:
        x[destination] = (np.float32(scale) * x[source].astype(np.float32)).astype(np.float64)
        labels[destination] = labels[source]
    labels[7] = 999
    labels[30] = 998  # only among the queries
    return x.astype(np.float32), labels


def normalized(x):
    return torch.nn.functional.normalize(torch.from_numpy(x), dim=1).numpy()


def faiss_search(index_type, queries, gallery, k, leave_one_out):
    index = index_type(queries.shape[1])
    index.add(gallery)
    values, indices = index.search(queries, k + 1 if leave_one_out else k)
    if leave_one_out:  # drop the query by index (PML's return_results)
        keep = indices != np.arange(len(queries))[:, None]
        for row in np.where(keep.all(axis=1))[0]:
            keep[row, -1] = False
        values = values[keep].reshape(len(queries), k)
        indices = indices[keep].reshape(len(queries), k)
    return values, indices


def recall_at_k(indices, query_labels, gallery_labels):
    hits = gallery_labels[indices] == query_labels[:, None]
    return [float(hits[:, :k].any(axis=1).mean()) for k in RECALL_KS]


def pml_metrics(queries, query_labels, gallery, gallery_labels, avg_of_avgs):
    calculator = AccuracyCalculator(
        include=("precision_at_1", "r_precision", "mean_average_precision_at_r"),
        k="max_bin_count", avg_of_avgs=avg_of_avgs, device=torch.device("cpu"),
        knn_func=FaissKNN(index_init_fn=faiss.IndexFlatIP))
    result = calculator.get_accuracy(queries, query_labels, gallery, gallery_labels)
    return [result["precision_at_1"], result["r_precision"], result["mean_average_precision_at_r"]]


def retrieval_fixture(x, labels):
    unit = normalized(x)
    tensors = {"labels": labels}
    modes = {
        "loo": (unit, labels, None, None),
        "qg": (unit[:QUERIES], labels[:QUERIES], unit[QUERIES:], labels[QUERIES:]),
    }
    for mode, (queries, query_labels, gallery, gallery_labels) in modes.items():
        for avg in (False, True):
            suffix = "_per_class" if avg else ""
            tensors[f"{mode}_pml{suffix}"] = pml_metrics(
                torch.from_numpy(queries), torch.from_numpy(query_labels),
                None if gallery is None else torch.from_numpy(gallery),
                None if gallery_labels is None else torch.from_numpy(gallery_labels), avg)
        loo = gallery is None
        _, indices = faiss_search(faiss.IndexFlatIP, queries, queries if loo else gallery, max(RECALL_KS), loo)
        tensors[f"{mode}_recall"] = recall_at_k(indices, query_labels, query_labels if loo else gallery_labels)
    meta = {"n": N, "d": D, "seed": 41, "queries": QUERIES, "copies": COPIES, "recall_ks": RECALL_KS,
            "pml": ["precision_at_1", "r_precision", "mean_average_precision_at_r"]}
    write_fixture(f"{OUT}/retrieval_metrics.json", tensors, meta)


def knn_fixtures(x):
    for name, index_type, data in [("cosine", faiss.IndexFlatIP, normalized(x)), ("dot", faiss.IndexFlatIP, x),
                                   ("l2", faiss.IndexFlatL2, x)]:
        tensors = {}
        values, indices = faiss_search(index_type, data, data, KNN_K, True)
        tensors["loo_values"], tensors["loo_indices"] = values, indices
        values, indices = faiss_search(index_type, data[:QUERIES], data[QUERIES:], KNN_K, False)
        tensors["qg_values"], tensors["qg_indices"] = values, indices
        write_fixture(f"{OUT}/knn_{name}.json", tensors,
                      {"k": KNN_K, "seed": 41, "n": N, "d": D, "queries": QUERIES, "copies": COPIES})


def clustering_fixture():
    """Blobs: 6 centres Seeded(7).array32((6, 8), 2.0), then 240 points centre[i % 6] + array32((240, 8), 1.0)."""
    rng = Seeded(7)
    centres = rng.array32((6, 8), 2.0).astype(np.float32)
    noise = rng.array32((240, 8), 1.0).astype(np.float32)
    points = centres[np.arange(240) % 6] + noise
    truth = np.arange(240) % 6
    kmeans = KMeans(n_clusters=6, init="k-means++", n_init=10, random_state=0).fit(points.astype(np.float64))
    random_assignment = np.floor(Seeded(8).unit(240) * 9).astype(np.int64)
    tensors = {
        "kmeans_assignment": kmeans.labels_, "kmeans_inertia": [kmeans.inertia_],
        "random_assignment": random_assignment,
        "kmeans_scores": [normalized_mutual_info_score(truth, kmeans.labels_),
                          adjusted_mutual_info_score(truth, kmeans.labels_)],
        "random_scores": [normalized_mutual_info_score(truth, random_assignment),
                          adjusted_mutual_info_score(truth, random_assignment)],
    }
    write_fixture(f"{OUT}/clustering.json", tensors, {"seed": 7, "points": 240, "dim": 8, "clusters": 6,
                                                      "scores": ["nmi", "ami"], "n_init": 10})


def npy_fixtures():
    """Small .npy files as numpy writes them, for Tests/MetricLearningTests/NumPyArrayTests.swift."""
    os.makedirs(f"{OUT}/npy", exist_ok=True)
    values = np.arange(12).reshape(3, 4) * 0.5 - 1  # -1, -0.5, 0, ... 4.5
    np.save(f"{OUT}/npy/float32_3x4.npy", values.astype(np.float32))
    np.save(f"{OUT}/npy/float64_3x4.npy", values)
    np.save(f"{OUT}/npy/int64_5.npy", np.array([3, -1, 7, 0, 2**40], dtype=np.int64))
    np.save(f"{OUT}/npy/int32_5.npy", np.array([3, -1, 7, 0, 9], dtype=np.int32))
    np.save(f"{OUT}/npy/big_endian.npy", values.astype(">f4"))
    np.save(f"{OUT}/npy/fortran.npy", np.asfortranarray(values.astype(np.float32)))


if __name__ == "__main__":
    npy_fixtures()
    x, labels = embeddings_and_labels()
    retrieval_fixture(x, labels)
    knn_fixtures(x)
    clustering_fixture()
