"""PyTorch float64 references for the layers (Sources/MLModels/Layers), forward and backward.

Run from the repository root: TORCH_PYTHON tools/reference/layers.py (docs/DESIGN.md §1: a Python with torch)
Writes Tests/Fixtures/layers_{conv2d,batchnorm,layernorm,relu,pooling,linear}.json.

Each case draws its tensors from one `Seeded(seed)` stream in the order listed by `draws` (Swift draws the
same): the input x, then the parameters (and buffers), then the output gradient dy, each uniform in
[-scale, scale) rounded to float32, with `offset` added in float32 where stated. The fixture holds the
float64 outputs and gradients ("<case>.<tensor>") and, in meta["fp32_error"], PyTorch's own float32
norm-relative error against its float64 result for each of them (the tolerance rule of DESIGN §2).
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

OUT = "Tests/Fixtures"


def draw(stream, shape, scale, offset=0.0):
    a = stream.array32(shape, scale).astype(np.float32)
    if offset:
        a = a + np.float32(offset)
    return a.astype(np.float64)


def relative(a, b):
    b = b.double()
    n = torch.linalg.norm(b).item()
    d = torch.linalg.norm(a.double() - b).item()
    return d / n if n > 0 else d


def run_both(build, arrays, results):
    """build(dtype, arrays) -> dict name -> tensor (computed with autograd); returns f64 values and f32 errors."""
    out = {}
    errors = {}
    t64 = build(torch.float64, arrays)
    t32 = build(torch.float32, arrays)
    for name in results:
        out[name] = t64[name].detach().numpy()
        errors[name] = relative(t32[name].detach(), t64[name].detach())
    return out, errors


class Collector:
    def __init__(self):
        self.tensors = {}
        self.errors = {}
        self.cases = {}

    def add(self, case, params, values, errors):
        self.cases[case] = params
        for k, v in values.items():
            self.tensors[f"{case}.{k}"] = v
            self.errors[f"{case}.{k}"] = errors[k]

    def write(self, name):
        write_fixture(os.path.join(OUT, name), self.tensors, {"cases": self.cases, "fp32_error": self.errors})
        print(name, len(self.tensors), "tensors", os.path.getsize(os.path.join(OUT, name)), "bytes")


def t(a, dtype, grad=True):
    return torch.tensor(a, dtype=dtype, requires_grad=grad)


def run_weighted(op, x, weight, b, dy):
    """run_both for y = op(x, weight, bias) with output gradient dy: y, dx, dweight and, when b is not None,
    dbias."""
    def build(dtype, _):
        xt, wt = t(x, dtype), t(weight, dtype)
        bt = t(b, dtype) if b is not None else None
        y = op(xt, wt, bt)
        y.backward(torch.tensor(dy, dtype=dtype))
        r = {"y": y, "dx": xt.grad, "dweight": wt.grad}
        if bt is not None:
            r["dbias"] = bt.grad
        return r

    return run_both(build, None, ["y", "dx", "dweight"] + (["dbias"] if b is not None else []))


# --- Conv2d -----------------------------------------------------------------------------------------------
CONV = [
    # name, N, C, H, W, O, k, stride, padding, dilation, groups, bias
    ("basic", 4, 3, 8, 7, 8, 3, 1, 1, 1, 1, False),
    ("strided_bias", 4, 8, 9, 8, 16, 3, 2, 1, 1, 1, True),
    ("dilated", 4, 6, 8, 7, 6, 3, 1, 2, 2, 1, False),
    ("grouped", 4, 8, 7, 7, 12, 3, 1, 1, 1, 4, True),
    ("pointwise", 4, 16, 3, 5, 24, 1, 1, 0, 1, 1, False),
    ("stem", 4, 3, 9, 9, 8, 7, 2, 3, 1, 1, False),
    ("pointwise_strided", 4, 16, 7, 7, 8, 1, 2, 0, 1, 1, False),
    ("wide3x3", 4, 16, 4, 4, 16, 3, 1, 1, 1, 1, False),
]


def conv_fixture():
    col = Collector()
    for seed, (name, n, c, h, w, o, k, s, p, d, g, bias) in enumerate(CONV, start=100):
        stream = Seeded(seed)
        x = draw(stream, [n, c, h, w], 1.0)
        weight = draw(stream, [o, c // g, k, k], 1.0 / np.sqrt(c // g * k * k))
        b = draw(stream, [o], 0.1) if bias else None
        oh = (h + 2 * p - d * (k - 1) - 1) // s + 1
        ow = (w + 2 * p - d * (k - 1) - 1) // s + 1
        dy = draw(stream, [n, o, oh, ow], 1.0)
        values, errors = run_weighted(
            lambda xt, wt, bt: torch.nn.functional.conv2d(xt, wt, bt, stride=s, padding=p, dilation=d, groups=g),
            x, weight, b, dy)
        params = dict(seed=seed, batch=n, inChannels=c, height=h, width=w, outChannels=o, kernelSize=k, stride=s,
                      padding=p, dilation=d, groups=g, bias=bias)
        col.add(name, params, values, errors)
    col.write("layers_conv2d.json")


# --- Batch norm (2-D and 1-D) --------------------------------------------------------------------------------
BN = [
    # name, shape, mode, affine
    ("bn2d_train", [4, 5, 6, 7], "train", True),
    ("bn2d_frozen", [4, 5, 6, 7], "frozen", True),
    ("bn2d_eval", [4, 5, 6, 7], "eval", True),
    ("bn2d_train16", [4, 16, 5, 5], "train", True),
    ("bn1d_train", [8, 6], "train", True),
    ("bn1d_frozen", [8, 6], "frozen", True),
    ("bn1d_eval", [8, 6], "eval", True),
    ("bn1d_plain_train", [8, 6], "train", False),
    ("bn1d_plain_eval", [8, 6], "eval", False),
]


def bn_fixture():
    col = Collector()
    for seed, (name, shape, mode, affine) in enumerate(BN, start=200):
        stream = Seeded(seed)
        c = shape[1]
        x = draw(stream, shape, 2.0, offset=0.5)
        gamma = draw(stream, [c], 0.5, offset=1.0) if affine else None
        beta = draw(stream, [c], 0.5) if affine else None
        mean = draw(stream, [c], 0.5)
        var = draw(stream, [c], 0.5, offset=1.0)
        dy = draw(stream, shape, 1.0)

        def build(dtype, _):
            xt = t(x, dtype)
            rm, rv = torch.tensor(mean, dtype=dtype), torch.tensor(var, dtype=dtype)
            gt = t(gamma, dtype) if affine else None
            bt = t(beta, dtype) if affine else None
            # frozen = the paper's set_bn_eval: eval-mode statistics while the affine parameters train.
            y = torch.nn.functional.batch_norm(xt, rm, rv, gt, bt, training=(mode == "train"), momentum=0.1, eps=1e-5)
            y.backward(torch.tensor(dy, dtype=dtype))
            r = {"y": y, "dx": xt.grad, "running_mean": rm, "running_var": rv}
            if affine:
                r["dweight"], r["dbias"] = gt.grad, bt.grad
            return r

        names = ["y", "dx", "running_mean", "running_var"] + (["dweight", "dbias"] if affine else [])
        values, errors = run_both(build, None, names)
        col.add(name, dict(seed=seed, shape=shape, mode=mode, affine=affine), values, errors)
    col.write("layers_batchnorm.json")


# --- LayerNorm -------------------------------------------------------------------------------------------
LN = [("affine", [6, 10], True), ("plain", [5, 12], False), ("wide", [4, 33], True)]


def ln_fixture():
    col = Collector()
    for seed, (name, shape, affine) in enumerate(LN, start=300):
        stream = Seeded(seed)
        c = shape[1]
        x = draw(stream, shape, 2.0, offset=0.5)
        gamma = draw(stream, [c], 0.5, offset=1.0) if affine else None
        beta = draw(stream, [c], 0.5) if affine else None
        dy = draw(stream, shape, 1.0)

        def build(dtype, _):
            xt = t(x, dtype)
            gt = t(gamma, dtype) if affine else None
            bt = t(beta, dtype) if affine else None
            y = torch.nn.functional.layer_norm(xt, [c], gt, bt, eps=1e-5)
            y.backward(torch.tensor(dy, dtype=dtype))
            r = {"y": y, "dx": xt.grad}
            if affine:
                r["dweight"], r["dbias"] = gt.grad, bt.grad
            return r

        names = ["y", "dx"] + (["dweight", "dbias"] if affine else [])
        values, errors = run_both(build, None, names)
        col.add(name, dict(seed=seed, shape=shape, affine=affine), values, errors)
    col.write("layers_layernorm.json")


# --- ReLU, pooling ---------------------------------------------------------------------------------------
def unary_fixture(filename, cases, seed0, op):
    col = Collector()
    for seed, (name, shape, params) in enumerate(cases, start=seed0):
        stream = Seeded(seed)
        x = draw(stream, shape, 1.0)
        y_shape = list(op(torch.tensor(x), params).shape)
        dy = draw(stream, y_shape, 1.0)

        def build(dtype, _):
            xt = t(x, dtype)
            y = op(xt, params)
            y.backward(torch.tensor(dy, dtype=dtype))
            return {"y": y, "dx": xt.grad}

        values, errors = run_both(build, None, ["y", "dx"])
        col.add(name, dict(seed=seed, shape=shape, **params), values, errors)
    col.write(filename)


def relu(x, _):
    return torch.relu(x)


def pool(x, p):
    if p["kind"] == "max":
        return torch.nn.functional.max_pool2d(x, p["kernelSize"], p["stride"], p["padding"])
    return torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, 1), 1)


RELU = [("odd", [4, 5, 3, 3], {}), ("wide", [4, 16, 4, 5], {})]
POOL = [
    ("max_k3s2p1", [4, 5, 9, 9], dict(kind="max", kernelSize=3, stride=2, padding=1)),
    ("max_k2s2", [4, 3, 7, 7], dict(kind="max", kernelSize=2, stride=2, padding=0)),
    ("max_k3s1p1", [4, 16, 6, 6], dict(kind="max", kernelSize=3, stride=1, padding=1)),
    ("gap", [4, 6, 5, 3], dict(kind="avg")),
    ("gap16", [4, 16, 4, 4], dict(kind="avg")),
]


# --- Linear ----------------------------------------------------------------------------------------------
LINEAR = [("bias", 5, 7, 4, True), ("nobias", 6, 9, 3, False), ("wide", 4, 64, 33, True)]


def linear_fixture():
    col = Collector()
    for seed, (name, n, fin, fout, bias) in enumerate(LINEAR, start=600):
        stream = Seeded(seed)
        x = draw(stream, [n, fin], 1.0)
        weight = draw(stream, [fout, fin], 1.0 / np.sqrt(fin))
        b = draw(stream, [fout], 0.1) if bias else None
        dy = draw(stream, [n, fout], 1.0)
        values, errors = run_weighted(torch.nn.functional.linear, x, weight, b, dy)
        col.add(name, dict(seed=seed, batch=n, inFeatures=fin, outFeatures=fout, bias=bias), values, errors)
    col.write("layers_linear.json")


if __name__ == "__main__":
    torch.set_num_threads(1)
    conv_fixture()
    bn_fixture()
    ln_fixture()
    unary_fixture("layers_relu.json", RELU, 400, relu)
    unary_fixture("layers_pooling.json", POOL, 500, pool)
    linear_fixture()
