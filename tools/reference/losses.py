"""Reference values for the losses and miners (Sources/MLLosses), from
pytorch-metric-learning 2.9 in float64; the paper's head, SPCE and center loss written out in torch.

Run from the repository root: TORCH_PYTHON tools/reference/losses.py (docs/DESIGN.md §1: torch and pytorch-metric-learning)
Writes Tests/Fixtures/losses.json. Each case in meta["cases"] says how Swift rebuilds its inputs:
a Seeded(seed) stream gives the embeddings [n, d] (uniform in [-scale, scale), rounded to float32), then
each loss parameter in the listed order (uniform in [-1, 1) times its scale, rounded to float32), then for
dropout the mask (one unit draw per element, kept when the draw >= p). Tensors are stored under
"<case>/value", "<case>/grad", "<case>/<param>.grad" and, for miners, "<case>/<index name>".
Where PML returns NaN the policy value (0, zero gradient) is stored and meta notes it.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

if "tqdm" not in sys.modules:
    try:
        import tqdm  # noqa: F401
    except ImportError:  # PML imports tqdm for progress bars only; this machine's Python lacks it
        import types
        stub = types.ModuleType("tqdm")
        stub.tqdm = lambda iterable=None, *args, **kwargs: iterable
        sys.modules["tqdm"] = stub
import pytorch_metric_learning as pml  # noqa: E402
from pytorch_metric_learning import distances, losses, miners, reducers  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

torch.set_default_dtype(torch.float64)
assert pml.__version__ == "2.9.0", pml.__version__


# ---- Losses PML does not have: the paper's head, SPCE, center loss ------------------------------------

class PaperHead(torch.nn.Module):
    """Dropout (given mask) → Linear (optionally normalised rows) → label-smoothed CE, KL form, mean."""

    def __init__(self, classes, d, smoothing=0.1, normalize_weight=False, mask=None, p=0.0):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(classes, d))
        self.bias = torch.nn.Parameter(torch.zeros(classes))
        self.smoothing, self.normalize_weight, self.mask, self.p = smoothing, normalize_weight, mask, p

    def forward(self, x, labels):
        if self.mask is not None:
            x = x * self.mask / (1 - self.p)
        w = F.normalize(self.weight, dim=1) if self.normalize_weight else self.weight
        logp = F.log_softmax(F.linear(x, w, self.bias), dim=1)
        c = logp.shape[1]
        t = torch.full_like(logp, self.smoothing / (c - 1) if c > 1 else 0.0)
        t[torch.arange(len(labels)), labels] = 1 - self.smoothing if c > 1 else 1.0
        return (torch.special.xlogy(t, t) - t * logp).sum(1).mean()


class SPCE(torch.nn.Module):
    def __init__(self, classes, present_only=False):
        super().__init__()
        self.classes, self.present_only = classes, present_only

    def forward(self, z, labels):
        onehot = F.one_hot(labels, self.classes).double()
        logits = z @ (onehot.t() @ z).t() / len(z)
        target = labels
        if self.present_only:
            present = torch.unique(labels)
            logits = logits[:, present]
            target = torch.searchsorted(present, labels)
        return F.cross_entropy(logits, target)


class Center(torch.nn.Module):
    def __init__(self, classes, d):
        super().__init__()
        self.centers = torch.nn.Parameter(torch.zeros(classes, d))

    def forward(self, z, labels):
        return 0.5 * ((z - self.centers[labels]) ** 2).sum(1).mean()


# ---- Case construction -------------------------------------------------------------------------------

BASE_LABELS = [0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4]          # n = 12, every class has a positive pair
LABEL_SETS = {
    "base": BASE_LABELS,
    "singleton": [0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 5],    # classes 4 and 5 have one sample
    "no_positive": list(range(12)),                       # every label distinct (needs >= 12 classes)
    "one_class": [1] * 12,                                # all samples one class
}


def make_loss(kind, p, classes, d, mask=None):
    """The torch module for registry name `kind` with registry parameters `p` (strings as the CLI gives)."""
    f = lambda k, v: float(p.get(k, v))  # noqa: E731
    if kind == "cross_entropy":
        return PaperHead(classes, d, f("smoothing", 0.1), p.get("normalize_weight") == "true", mask, f("dropout", 0))
    if kind == "spce":
        return SPCE(classes, p.get("present_only") == "true")
    if kind == "center":
        return Center(classes, d)
    if kind == "normalized_softmax":
        return losses.NormalizedSoftmaxLoss(classes, d, temperature=f("temperature", 0.05))
    if kind == "arcface":
        return losses.ArcFaceLoss(classes, d, margin=f("margin", 28.6), scale=f("scale", 64))
    if kind == "proxy_nca":
        return losses.ProxyNCALoss(classes, d, softmax_scale=f("softmax_scale", 1), distance=make_distance(p, "lp", 2))
    if kind == "proxy_anchor":
        return losses.ProxyAnchorLoss(classes, d, margin=f("margin", 0.1), alpha=f("alpha", 32))
    extra = {"reducer": REDUCERS[p["reducer"]]()} if "reducer" in p else {}
    if kind == "contrastive":
        return losses.ContrastiveLoss(pos_margin=f("pos_margin", 0), neg_margin=f("neg_margin", 1),
                                      distance=make_distance(p, "lp"), **extra)
    if kind == "triplet":
        return losses.TripletMarginLoss(margin=f("margin", 0.05), swap=p.get("swap") == "true",
                                        smooth_loss=p.get("smooth_loss") == "true", distance=make_distance(p, "lp"), **extra)
    if kind == "multi_similarity":
        return losses.MultiSimilarityLoss(alpha=f("alpha", 2), beta=f("beta", 50), base=f("base", 0.5),
                                          distance=make_distance(p, "cosine"), **extra)
    if kind == "nca":
        return losses.NCALoss(softmax_scale=f("softmax_scale", 1), distance=make_distance(p, "lp", 2), **extra)
    if kind == "supcon":
        return losses.SupConLoss(temperature=f("temperature", 0.1), distance=make_distance(p, "cosine"), **extra)
    if kind == "circle":
        return losses.CircleLoss(m=f("m", 0.4), gamma=f("gamma", 80), **extra)
    raise ValueError(kind)


REDUCERS = {"mean": reducers.MeanReducer, "avg_non_zero": reducers.AvgNonZeroReducer, "sum": reducers.SumReducer}


def make_distance(p, default, default_power=1):
    kind = p.get("distance", default)
    norm = p.get("normalize_embeddings", "true") == "true"
    power = float(p.get("power", default_power if kind == default else 1))
    if kind == "lp":
        return distances.LpDistance(normalize_embeddings=norm, p=float(p.get("p", 2)), power=power)
    if kind == "cosine":
        return distances.CosineSimilarity(power=power)
    return distances.DotProductSimilarity(normalize_embeddings=norm, power=power)


# Parameter names and their shapes as Swift's namedParameters lists them (PML's layouts).
def parameter_shapes(kind, classes, d):
    return {
        "cross_entropy": [("classifier.weight", [classes, d]), ("classifier.bias", [classes])],
        "normalized_softmax": [("W", [d, classes])],
        "arcface": [("W", [d, classes])],
        "proxy_nca": [("proxies", [classes, d])],
        "proxy_anchor": [("proxies", [classes, d])],
        "center": [("centers", [classes, d])],
    }.get(kind, [])


def torch_parameter(module, name):
    return {"classifier.weight": lambda: module.weight, "classifier.bias": lambda: module.bias}.get(
        name, lambda: getattr(module, name))()


def spec_string(kind, p):
    return kind + (":" + ",".join(f"{k}={v}" for k, v in sorted(p.items())) if p else "")


cases, tensors = [], {}


def add_case(case_name, kind, p=None, labels="base", d=8, classes=None, seed=1, scale=1.0, param_scale=0.5,
             embeddings="random", miner=None):
    p = p or {}
    labels_list = LABEL_SETS[labels]
    n = len(labels_list)
    classes = classes or 12
    rng = Seeded(seed)
    x = rng.array32([n, d], scale)
    if embeddings == "identical":
        x = np.tile(x[:1], (n, 1))
    elif embeddings == "zero_rows":
        x[[1, 5]] = 0.0
    shapes = parameter_shapes(kind, classes, d)
    values = {name: rng.array32(shape, 1.0) * param_scale for name, shape in shapes}
    mask = None
    drop = float(p.get("dropout", 0))
    if kind == "cross_entropy" and drop > 0:
        mask = torch.tensor((rng.unit(n * d) >= drop).astype(np.float64).reshape(n, d))
    module = make_loss(kind, p, classes, d, mask)
    with torch.no_grad():
        for name, _ in shapes:
            torch_parameter(module, name).copy_(torch.tensor(values[name]))
    emb = torch.tensor(x, requires_grad=True)
    y = torch.tensor(labels_list)
    indices = None
    if miner is not None:
        indices = make_miner(*miner)(emb.detach(), y)
    loss = module(emb, y, indices) if isinstance(module, losses.BaseMetricLossFunction) else module(emb, y)
    notes = []
    if torch.isnan(loss):
        notes.append("PML returns NaN; policy 0 with zero gradient")
        value, grad = 0.0, np.zeros((n, d))
        param_grads = {name: np.zeros(shape) for name, shape in shapes}
    else:
        loss.backward()
        value = loss.item()
        grad = emb.grad.numpy() if emb.grad is not None else np.zeros((n, d))
        param_grads = {}
        for name, shape in shapes:
            g = torch_parameter(module, name).grad
            param_grads[name] = g.numpy() if g is not None else np.zeros(shape)
    finite = bool(np.all(np.isfinite(grad))) and all(np.all(np.isfinite(g)) for g in param_grads.values())
    compare_gradient = finite
    if not compare_gradient:
        notes.append("gradient not compared: PML's is not finite")
    tensors[f"{case_name}/value"] = np.array([value])
    tensors[f"{case_name}/grad"] = np.nan_to_num(grad) if compare_gradient else np.zeros((n, d))
    for name, g in param_grads.items():
        tensors[f"{case_name}/{name}.grad"] = g if compare_gradient else np.zeros_like(g)
    cases.append({
        "name": case_name, "spec": spec_string(kind, p), "miner": spec_string(*miner) if miner else None,
        "n": n, "d": d, "classes": classes, "labels": labels_list, "seed": seed, "scale": scale,
        "embeddings": embeddings, "parameters": [{"name": nm, "shape": sh, "scale": param_scale} for nm, sh in shapes],
        "dropout_mask": mask is not None, "compare_gradient": compare_gradient, "notes": notes,
    })


def make_miner(kind, p):
    if kind == "triplet_margin":
        return miners.TripletMarginMiner(margin=float(p.get("margin", 0.2)), type_of_triplets=p.get("type", "all"),
                                         distance=make_distance(p, "lp"))
    if kind == "batch_hard":
        return miners.BatchHardMiner(distance=make_distance(p, "lp"))
    if kind == "multi_similarity":
        return miners.MultiSimilarityMiner(epsilon=float(p.get("epsilon", 0.1)), distance=make_distance(p, "cosine"))
    if kind == "pair_margin":
        return miners.PairMarginMiner(pos_margin=float(p.get("pos_margin", 0.2)), neg_margin=float(p.get("neg_margin", 0.8)),
                                      distance=make_distance(p, "lp"))
    raise ValueError(kind)


def add_miner_case(case_name, kind, p, labels="base", seed=1, d=8):
    labels_list = LABEL_SETS[labels]
    x = Seeded(seed).array32([len(labels_list), d], 1.0)
    out = make_miner(kind, p)(torch.tensor(x), torch.tensor(labels_list))
    names = ["a", "p", "n"] if len(out) == 3 else ["a1", "p", "a2", "n"]
    for name, idx in zip(names, out):
        tensors[f"{case_name}/{name}"] = idx.numpy().astype(np.float64)
    cases.append({"name": case_name, "spec": spec_string(kind, p), "miner": None, "n": len(labels_list), "d": d,
                  "classes": 12, "labels": labels_list, "seed": seed, "scale": 1.0, "embeddings": "random",
                  "parameters": [], "dropout_mask": False, "compare_gradient": False, "notes": [],
                  "indices": names})


# ---- The classification family and SPCE --------------------------------------------------------------

CLASSIFICATION = {
    "cross_entropy": [{}, {"smoothing": "0"}, {"smoothing": "0.2", "normalize_weight": "true"},
                      {"dropout": "0.5"}],
    "normalized_softmax": [{}, {"temperature": "0.5"}],
    "arcface": [{}, {"margin": "10", "scale": "16"}],
    "proxy_nca": [{}, {"softmax_scale": "3"}, {"distance": "cosine"}],
    "proxy_anchor": [{}, {"margin": "0.2", "alpha": "16"}],
    "center": [{}],
    "spce": [{}, {"present_only": "true"}],
}
EDGES = [("singleton", "random"), ("no_positive", "random"), ("one_class", "random"), ("base", "identical"),
         ("base", "zero_rows")]

PAIRWISE = {
    "contrastive": [{}, {"pos_margin": "0.1", "neg_margin": "0.8"}, {"distance": "cosine"}, {"reducer": "mean"},
                    {"normalize_embeddings": "false", "p": "1"}, {"power": "2"}],
    "triplet": [{}, {"margin": "0.3", "swap": "true"}, {"smooth_loss": "true"}, {"distance": "cosine"},
                {"distance": "dot", "normalize_embeddings": "false"}],
    "multi_similarity": [{}, {"alpha": "1", "beta": "10", "base": "0.3"}, {"distance": "lp"}],
    "nca": [{}, {"softmax_scale": "4"}, {"distance": "cosine"}],
    "supcon": [{}, {"temperature": "0.5"}, {"distance": "lp"}],
    "circle": [{}, {"m": "0.25", "gamma": "32"}],
}
CLASSIFICATION.update(PAIRWISE)

for kind, variants in CLASSIFICATION.items():
    for i, p in enumerate(variants):
        add_case(f"{kind}/{i}", kind, p, seed=100 + i)
    for labels, emb in EDGES:
        # A zero vector is exactly 1 from every normalised vector: ContrastiveLoss's default neg_margin, where
        # the count of non-zero hinge terms depends on the last bit. Keep that case off the kink.
        edge = {"neg_margin": "1.2"} if kind == "contrastive" and emb == "zero_rows" else {}
        add_case(f"{kind}/{labels}_{emb}", kind, edge, labels=labels, embeddings=emb, seed=7)

# ---- Miners, and losses fed by a miner --------------------------------------------------------------------

MINERS = {
    "triplet_margin": [{}, {"type": "hard"}, {"type": "semihard"}, {"type": "easy"}, {"margin": "0.1", "distance": "cosine"}],
    "batch_hard": [{}, {"distance": "cosine"}],
    "multi_similarity": [{}, {"epsilon": "0.3"}, {"distance": "lp"}],
    "pair_margin": [{}, {"pos_margin": "0.5", "neg_margin": "1.4"}],
}
for kind, variants in MINERS.items():
    for i, p in enumerate(variants):
        add_miner_case(f"miner/{kind}/{i}", kind, p, seed=200 + i)
    add_miner_case(f"miner/{kind}/singleton", kind, {}, labels="singleton", seed=9)

MINED = [
    ("triplet", {}, ("triplet_margin", {"type": "semihard", "margin": "0.5"})),
    ("triplet", {}, ("batch_hard", {})),
    ("contrastive", {}, ("pair_margin", {"pos_margin": "0.5", "neg_margin": "1.4"})),
    ("multi_similarity", {}, ("multi_similarity", {})),
    ("supcon", {}, ("multi_similarity", {})),
    ("circle", {}, ("batch_hard", {"distance": "cosine"})),
    ("nca", {}, ("triplet_margin", {"type": "hard"})),
    ("normalized_softmax", {}, ("multi_similarity", {})),
    ("arcface", {}, ("batch_hard", {})),
    ("proxy_nca", {}, ("pair_margin", {"pos_margin": "0.5", "neg_margin": "1.4"})),
    ("proxy_anchor", {}, ("triplet_margin", {"type": "hard"})),
]
for i, (kind, p, miner) in enumerate(MINED):
    add_case(f"mined/{kind}/{i}", kind, p, seed=300 + i, miner=(miner[0], miner[1]))

path = os.path.join("Tests", "Fixtures", "losses.json")
write_fixture(path, tensors, {"cases": cases, "pml_version": pml.__version__, "torch_version": torch.__version__})
print(f"wrote {path}: {len(cases)} cases, {os.path.getsize(path)} bytes")
