"""Times pytorch-metric-learning 2.9 (CPU, float32) on the batch `dml bench losses` uses.

Called by `dml bench losses --compare-pml PYTHON`; prints {"<registry name>": milliseconds, ...} as JSON.
Arguments: n d classes iterations threads. For the three losses PML lacks (the paper's head, SPCE,
center loss) it times the plain-torch modules of tools/reference/losses.py.
"""
import json
import os
import sys
import time
import types

if "tqdm" not in sys.modules:
    try:
        import tqdm  # noqa: F401
    except ImportError:  # PML imports tqdm for progress bars only
        stub = types.ModuleType("tqdm")
        stub.tqdm = lambda iterable=None, *args, **kwargs: iterable
        sys.modules["tqdm"] = stub

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from pytorch_metric_learning import losses, miners  # noqa: E402

n, d, classes, iterations, threads = (int(v) for v in sys.argv[1:6])
torch.set_num_threads(threads)
torch.manual_seed(0)


def head(z, y, w, b):
    logp = F.log_softmax(F.linear(z, w, b), dim=1)
    t = torch.full_like(logp, 0.1 / (classes - 1))
    t[torch.arange(len(y)), y] = 0.9
    return (torch.special.xlogy(t, t) - t * logp).sum(1).mean()


def spce(z, y):
    onehot = F.one_hot(y, classes).float()
    return F.cross_entropy(z @ (onehot.t() @ z).t() / len(z), y)


weight = torch.zeros(classes, d, requires_grad=True)
bias = torch.zeros(classes, requires_grad=True)
centers = torch.zeros(classes, d, requires_grad=True)
PML = {
    "normalized_softmax": (losses.NormalizedSoftmaxLoss(classes, d), None),
    "arcface": (losses.ArcFaceLoss(classes, d), None),
    "proxy_nca": (losses.ProxyNCALoss(classes, d), None),
    "proxy_anchor": (losses.ProxyAnchorLoss(classes, d), None),
    "contrastive": (losses.ContrastiveLoss(), None),
    "triplet": (losses.TripletMarginLoss(), None),
    "multi_similarity": (losses.MultiSimilarityLoss(), miners.MultiSimilarityMiner()),
    "nca": (losses.NCALoss(), None),
    "supcon": (losses.SupConLoss(), None),
    "circle": (losses.CircleLoss(), None),
}
TORCH = {
    "cross_entropy": lambda z, y: head(z, y, weight, bias),
    "spce": spce,
    "center": lambda z, y: 0.5 * ((z - centers[y]) ** 2).sum(1).mean(),
}


def run(fn, z, y):
    z.grad = None
    fn(z, y).backward()


def median_ms(fn):
    z = torch.randn(n, d, requires_grad=True)
    y = torch.arange(n) % classes
    for _ in range(3):
        run(fn, z, y)
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        run(fn, z, y)
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


results = {}
for name in os.environ.get("DML_BENCH_LOSSES", ",".join([*TORCH, *PML])).split(","):
    if name in TORCH:
        results[name] = median_ms(TORCH[name])
    elif name in PML:
        loss, miner = PML[name]
        results[name] = median_ms(lambda z, y: loss(z, y, miner(z, y)) if miner else loss(z, y))
print(json.dumps(results))
