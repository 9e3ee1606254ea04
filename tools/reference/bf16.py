"""PyTorch autocast's own bf16 error on the cases of the float64 fixtures: the tolerances of the bf16 tests.

Run from the repository root with torch 2.15.0: TORCH_PYTHON tools/reference/bf16.py
Writes Tests/Fixtures/bf16_errors.json; meta["bf16_error"][fixture][tensor] is the norm-relative error
‖autocast − float64‖ / ‖float64‖ of PyTorch's bf16 mixed precision (`torch.autocast("cpu",
dtype=torch.bfloat16)`) on the same case as the float64 reference stored in `fixture`. The Swift bf16 tests
compare their result with that float64 reference and accept at most 3 × this error (DESIGN §2's rule, with
autocast in place of PyTorch's float32). No tensors are stored: the references are the fp32 fixtures'.

Each case runs as it would inside an autocast network:
- layers_conv2d.json: autocast casts x and the weight to bf16; y is bf16; dy arrives in bf16.
- layers_batchnorm.json (2-D cases), layers_relu.json, layers_pooling.json: autocast leaves these ops in
  the type of their input, which inside a network is the bf16 output of a convolution; so x is cast to bf16
  (batch norm keeps γ, β and the running statistics in float32), and dy arrives in bf16.
- resnet_resnet18.json, resnet_resnet50.json: the torchvision model of tools/reference/resnet.py under
  autocast (eval, frozen and training batch norm).
- train_step.json: the three steps of tools/reference/train_step.py with the backbone under autocast and
  the pooled features, neck, classifier and loss in float32, which is this package's bf16 recipe.
Before measuring, each case's float64 run is checked against the fixture's stored values, so the error is
measured on exactly the fixture's case.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import layers  # noqa: E402
import resnet  # noqa: E402
import train_step  # noqa: E402
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

OUT = "Tests/Fixtures"
BF16 = torch.bfloat16


def load(name):
    """The fixture's float64 tensors by name (full tensors and the scalars of compact entries)."""
    import base64
    import json
    with open(os.path.join(OUT, name)) as f:
        body = json.load(f)
    return {k: np.frombuffer(base64.b64decode(v["f64"]), dtype="<f8").reshape(v["shape"])
            for k, v in body["tensors"].items()}


def relative(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    n = np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / n) if n > 0 else float(np.linalg.norm(a - b))


def check_reference(stored, key, value):
    """The float64 run reproduces the fixture (same case, same draws)."""
    if key in stored:
        assert relative(value, stored[key]) < 1e-12, f"{key}: float64 run differs from the fixture"


def tensor(a, dtype=torch.float64, grad=True):
    return torch.tensor(a, dtype=dtype, requires_grad=grad)


def layer_errors(fixture, cases):
    """cases: name -> (build(bf16: bool) -> dict of torch results). Errors of the bf16 run per tensor."""
    stored = load(fixture)
    errors = {}
    for name, build in cases.items():
        r64, r16 = build(False), build(True)
        for key, value in r64.items():
            full = f"{name}.{key}"
            check_reference(stored, full, value.detach().numpy())
            errors[full] = relative(r16[key].detach().double().numpy(), value.detach().numpy())
    return errors


def conv_cases():
    cases = {}
    for seed, (name, n, c, h, w, o, k, s, p, d, g, bias) in enumerate(layers.CONV, start=100):
        stream = Seeded(seed)
        x = layers.draw(stream, [n, c, h, w], 1.0)
        weight = layers.draw(stream, [o, c // g, k, k], 1.0 / np.sqrt(c // g * k * k))
        b = layers.draw(stream, [o], 0.1) if bias else None
        oh, ow = (h + 2 * p - d * (k - 1) - 1) // s + 1, (w + 2 * p - d * (k - 1) - 1) // s + 1
        dy = layers.draw(stream, [n, o, oh, ow], 1.0)

        def build(bf16, x=x, weight=weight, b=b, dy=dy, s=s, p=p, d=d, g=g):
            dtype = torch.float32 if bf16 else torch.float64
            xt, wt = tensor(x, dtype), tensor(weight, dtype)
            bt = tensor(b, dtype) if b is not None else None
            with torch.autocast("cpu", dtype=BF16, enabled=bf16):
                y = F.conv2d(xt, wt, bt, stride=s, padding=p, dilation=d, groups=g)
            y.backward(torch.tensor(dy).to(y.dtype))
            r = {"y": y, "dx": xt.grad, "dweight": wt.grad}
            if bt is not None:
                r["dbias"] = bt.grad
            return r
        cases[name] = build
    return cases


def batch_norm_cases():
    cases = {}
    for seed, (name, shape, mode, affine) in enumerate(layers.BN, start=200):
        if len(shape) != 4:
            continue  # BatchNorm1d is the neck's, which stays float32
        stream = Seeded(seed)
        c = shape[1]
        x = layers.draw(stream, shape, 2.0, offset=0.5)
        gamma = layers.draw(stream, [c], 0.5, offset=1.0)
        beta = layers.draw(stream, [c], 0.5)
        mean = layers.draw(stream, [c], 0.5)
        var = layers.draw(stream, [c], 0.5, offset=1.0)
        dy = layers.draw(stream, shape, 1.0)

        def build(bf16, x=x, gamma=gamma, beta=beta, mean=mean, var=var, dy=dy, mode=mode):
            dtype = torch.float32 if bf16 else torch.float64
            xt, gt, bt = tensor(x, dtype), tensor(gamma, dtype), tensor(beta, dtype)
            rm, rv = torch.tensor(mean, dtype=dtype), torch.tensor(var, dtype=dtype)
            source = xt.to(BF16) if bf16 else xt
            y = F.batch_norm(source, rm, rv, gt, bt, training=(mode == "train"), momentum=0.1, eps=1e-5)
            y.backward(torch.tensor(dy).to(y.dtype))
            return {"y": y, "dx": xt.grad, "running_mean": rm, "running_var": rv, "dweight": gt.grad,
                    "dbias": bt.grad}
        cases[name] = build
    return cases


def unary_cases(table, seed0, op):
    cases = {}
    for seed, (name, shape, params) in enumerate(table, start=seed0):
        stream = Seeded(seed)
        x = layers.draw(stream, shape, 1.0)
        dy = layers.draw(stream, list(op(torch.tensor(x), params).shape), 1.0)

        def build(bf16, x=x, dy=dy, params=params):
            xt = tensor(x, torch.float32 if bf16 else torch.float64)
            y = op(xt.to(BF16) if bf16 else xt, params)
            y.backward(torch.tensor(dy).to(y.dtype))
            return {"y": y, "dx": xt.grad}
        cases[name] = build
    return cases


def resnet_errors(arch):
    """Errors of the torchvision model under autocast on resnet.py's case (full tensors)."""
    stored = load(f"resnet_{arch}.json")
    model64, x, dy = resnet.build(arch)
    model16, _, _ = resnet.build(arch)
    model64.double()
    names = resnet.gradient_names(arch)
    errors = {}
    for mode, training, backward in [("eval", False, False), ("frozen", False, True), ("train", True, True)]:
        r64 = resnet.run(model64, x, dy if backward else None, training, names)
        with torch.autocast("cpu", dtype=BF16):
            r16 = resnet.run(model16, x, dy if backward else None, training, names)
        if mode != "frozen":
            check_reference(stored, mode + ".output", r64["output"])
            errors[mode + ".output"] = relative(r16["output"], r64["output"])
        if mode == "eval":
            errors["eval.features"] = relative(r16["features"], r64["features"])
        if backward:
            for name in ["input"] + names:
                key = f"{mode}.grad.{name}"
                check_reference(stored, key + ".norm", [np.linalg.norm(r64["grad." + name])])
                errors[key] = relative(r16["grad." + name], r64["grad." + name])
    for buffer in ["running_mean", "running_var"]:
        key = "train.bn1." + buffer
        value = getattr(model64.bn1, buffer).numpy()
        check_reference(stored, key, value)
        errors[key] = relative(getattr(model16.bn1, buffer).numpy(), value)
    return errors


def train_step_errors():
    stored = load("train_step.json")
    r64 = train_step.train(torch.float64)
    r16 = train_step.train(torch.float32, autocast=True)
    errors = {}
    for name, value in r64.items():
        key = name + ".norm" if name.removesuffix(".delta") in train_step.COMPACT else name
        check_reference(stored, key, [np.linalg.norm(value)] if key.endswith(".norm") else value)
        errors[name] = relative(r16[name], value)
    return errors


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    errors = {
        "layers_conv2d.json": layer_errors("layers_conv2d.json", conv_cases()),
        "layers_batchnorm.json": layer_errors("layers_batchnorm.json", batch_norm_cases()),
        "layers_relu.json": layer_errors("layers_relu.json", unary_cases(layers.RELU, 400, layers.relu)),
        "layers_pooling.json": layer_errors("layers_pooling.json", unary_cases(layers.POOL, 500, layers.pool)),
        "resnet_resnet18.json": resnet_errors("resnet18"),
        "resnet_resnet50.json": resnet_errors("resnet50"),
        "train_step.json": train_step_errors(),
    }
    for fixture, values in errors.items():
        for key, value in sorted(values.items()):
            print(f"{fixture:24} {key:40} {value:.3g}")
    path = os.path.join(OUT, "bf16_errors.json")
    write_fixture(path, {}, {"torch": torch.__version__, "bf16_error": errors})
    print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
