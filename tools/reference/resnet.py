"""Reference fixtures for Sources/MLModels/Models/ResNet*.swift: torchvision resnet18 and resnet50 in float64.

Run from the repository root with torch, torchvision and safetensors: TORCH_PYTHON tools/reference/resnet.py

Parameter fill (Tests/TestSupport/ResNetParity.swift does the same): one `Seeded(seed)` stream fills
every state_dict tensor in state_dict order (num_batches_tracked skipped), with u uniform in [-1, 1):
  rank-4 weight (conv, OIHW)  u * sqrt(3 / fan_in)        fan_in = in * kh * kw (second moment preserved)
  rank-2 weight (fc)          u / sqrt(in_features)
  rank-1 weight (bn gamma)    1 + 0.1 u, times CASES[arch]["residual_gamma"] for a bottleneck's bn3
  rank-1 bias (bn beta, fc)   0.1 u
  running_mean                0.1 u
  running_var                 1 + 0.5 u
each value rounded to float32. Then the same stream draws the input x [4, 3, 64, 64] (scale 1) and the
output gradient dy [4, 1000] (scale 1), both rounded to float32.

Computed in float64 (and float32 for PyTorch's own error):
  eval.output, eval.features (avgpool output, compact)    inference mode
  frozen.*                                       BN in eval mode (use_global_stats), backward of sum(out*dy)
  train.output, train.*                          BN training mode, backward of sum(out*dy)
  train.bn1.running_mean / running_var           conv1's BN buffers after the training forward
Gradients (input, conv1.weight, one middle conv weight, fc.weight and the deepest stage's gradients of
CASES[arch]["deep"]) are stored compactly: `<name>.norm` (the
L2 norm), `<name>.sample` (values at 256 indices floor(unit * n) drawn from Seeded(sample_seed)) and
`<name>.projection` (8 dot products with vectors of n values signed(n) drawn next from the same stream);
meta.compact[name] = {"seed": sample_seed, "count": n}. meta.pytorch_fp32_error[name] is PyTorch-fp32's
norm-relative error against float64 on the full tensor.

Training-mode ResNet-50 (ARCHITECTURE.md, "Proof"): batch-statistics BN makes a random network's forward error
grow with depth, and wherever rounding flips a ReLU mask (a pre-activation within float32 noise of zero) every
gradient below moves by about 1/sqrt(n) of its norm (one flip among layer3.5's 65,536 outputs moves that
block's input gradient by 4.7e-3; tools/reference/relu_flips.py counts the flips). With every gamma
1 + 0.1 u, PyTorch's own float32 error below layer4 was 1.6-2 % at every batch, size and seed tried.
residual_gamma 0.1 (torchvision's zero_init_residual, not quite zero) keeps the forward within 1e-6 and
layer4 clear of flips, so the deepest stage's gradients check every
training-mode operation (strided and 1x1 convolutions, the downsample, BN's batch-statistics backward, the
residual add) at a tolerance a subtle bug exceeds. meta.mutation_shift[tensor][mutation] proves it: the
norm-relative change of each training-mode gradient in float64 when BN's batch-statistics backward has one
plausible bug (MUTATIONS); the Swift test requires every mutation to move some checked tensor by more than
twice its tolerance.

resnet_state_dict_names.json lists every architecture's state_dict names and shapes (with and without fc).

Also writes the resnet18 fill as a safetensors file with safetensors.torch.save_file (the layout PyTorch
users produce) and stores its header and a checksum in the resnet18 fixture: the Swift test rebuilds the
byte-identical file from the header and the seeded stream, loads it by name and compares with eval.output.
"""
import json
import os
import struct
import sys
import tempfile

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

BATCH, CLASSES = 4, 1000
CASES = {
    "resnet18": {"seed": 2018, "size": 64, "middle": "layer2.1.conv2.weight",
                 "deep": ["layer4.0.conv1.weight", "layer4.0.downsample.0.weight", "layer4.0.bn1.weight"]},
    "resnet50": {"seed": 2050, "size": 64, "middle": "layer3.2.conv2.weight", "residual_gamma": 0.1,
                 "deep": ["layer4.0.conv2.weight", "layer4.0.downsample.0.weight", "layer4.0.bn1.weight"]},
}
MUTATIONS = ["no_mean_term", "no_projection_term", "count_minus_one"]
SAMPLES, PROJECTIONS = 256, 8
OUT = "Tests/Fixtures"


def fill_values(name, shape, gen, residual_gamma=1.0):
    """The float32-rounded values (as float64) of one state_dict tensor, drawn from `gen`."""
    u = gen.signed(int(np.prod(shape))).reshape(shape)
    if name.endswith("running_var"):
        v = 1 + 0.5 * u
    elif name.endswith("running_mean"):
        v = 0.1 * u
    elif len(shape) == 4:
        v = u * np.sqrt(3.0 / (shape[1] * shape[2] * shape[3]))
    elif len(shape) == 2:
        v = u / np.sqrt(shape[1])
    elif name.endswith("bn3.weight"):
        v = (1 + 0.1 * u) * residual_gamma
    elif name.endswith("weight"):
        v = 1 + 0.1 * u
    else:
        v = 0.1 * u
    return v.astype(np.float32).astype(np.float64)


def build(arch):
    """The seeded model of CASES[arch], its input x and output gradient dy."""
    case = CASES[arch]
    seed, size, residual_gamma = case["seed"], case["size"], case.get("residual_gamma", 1.0)
    model = getattr(torchvision.models, arch)(num_classes=CLASSES)
    gen = Seeded(seed)
    state = model.state_dict()
    with torch.no_grad():
        for name, tensor in state.items():
            if name.endswith("num_batches_tracked"):
                continue
            tensor.copy_(torch.from_numpy(fill_values(name, tuple(tensor.shape), gen, residual_gamma)))
    x = gen.array32((BATCH, 3, size, size))
    dy = gen.array32((BATCH, CLASSES))
    return model, x, dy


def gradient_names(arch):
    """The parameters whose gradients the fixture stores, besides the input's."""
    case = CASES[arch]
    return ["conv1.weight", case["middle"], "fc.weight"] + case["deep"]


class MutatedBatchNorm(torch.autograd.Function):
    """Batch-statistics BN whose backward has one bug (for meta.mutation_shift); the forward is exact.

    dx = gamma / sigma * (dy - mean(dy) - xhat * mean(dy * xhat)) over (batch, height, width), correct; the
    mutations drop the mean term, drop the projection term, or take the means over count - 1.
    """

    @staticmethod
    def forward(ctx, x, weight, bias, eps, mutation):
        mean = x.mean((0, 2, 3), keepdim=True)
        invstd = 1 / torch.sqrt(x.var((0, 2, 3), unbiased=False, keepdim=True) + eps)
        xhat = (x - mean) * invstd
        ctx.save_for_backward(xhat, invstd, weight)
        ctx.mutation = mutation
        return xhat * weight.view(1, -1, 1, 1) + bias.view(1, -1, 1, 1)

    @staticmethod
    def backward(ctx, dy):
        xhat, invstd, weight = ctx.saved_tensors
        count = dy.numel() // dy.shape[1]
        divisor = count - 1 if ctx.mutation == "count_minus_one" else count
        mean_dy = dy.sum((0, 2, 3), keepdim=True) / divisor
        mean_projection = (dy * xhat).sum((0, 2, 3), keepdim=True) / divisor
        if ctx.mutation == "no_mean_term":
            mean_dy = torch.zeros_like(mean_dy)
        if ctx.mutation == "no_projection_term":
            mean_projection = torch.zeros_like(mean_projection)
        dx = weight.view(1, -1, 1, 1) * invstd * (dy - mean_dy - xhat * mean_projection)
        return dx, (dy * xhat).sum((0, 2, 3)), dy.sum((0, 2, 3)), None, None


def mutated(model, mutation):
    """`model` with every BatchNorm2d's batch-statistics backward replaced by `mutation`'s."""
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.forward = (lambda m: lambda x: MutatedBatchNorm.apply(x, m.weight, m.bias, m.eps, mutation))(module)
    return model


def relative_error(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def run(model, x, dy, training, gradient_names):
    """Forward (and backward of sum(out * dy) when dy is given) in the model's dtype."""
    model.train(training)
    model.zero_grad()
    dtype = next(model.parameters()).dtype
    xt = torch.from_numpy(x).to(dtype).requires_grad_(dy is not None)
    features = {}
    hook = model.avgpool.register_forward_hook(lambda m, i, o: features.setdefault("f", o.flatten(1)))
    out = model(xt)
    hook.remove()
    result = {"output": out.detach().double().numpy(), "features": features["f"].detach().double().numpy()}
    if dy is not None:
        (out * torch.from_numpy(dy).to(dtype)).sum().backward()
        params = dict(model.named_parameters())
        result["grad.input"] = xt.grad.double().numpy()
        for name in gradient_names:
            result["grad." + name] = params[name].grad.double().numpy()
    return result


def compact(prefix, name, g64, g32, seed, tensors, meta):
    flat = g64.reshape(-1)
    n = flat.size
    gen = Seeded(seed)
    indices = np.floor(gen.unit(SAMPLES) * n).astype(np.int64)
    projections = [float(gen.signed(n) @ flat) for _ in range(PROJECTIONS)]
    key = prefix + name
    tensors[key + ".norm"] = [np.linalg.norm(flat)]
    tensors[key + ".sample"] = flat[indices]
    tensors[key + ".projection"] = projections
    meta["compact"][key] = {"seed": seed, "count": n}
    meta["pytorch_fp32_error"][key] = relative_error(g32, g64)


def checksum(data):
    """sum_i w_i * (2 i + 1) mod 2^64 over the little-endian uint64 words of `data` zero-padded to 8 bytes."""
    padded = data + b"\0" * (-len(data) % 8)
    words = np.frombuffer(padded, dtype="<u8")
    weights = np.arange(words.size, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    with np.errstate(over="ignore"):
        return int(np.sum(words * weights, dtype=np.uint64))


def safetensors_entry(model, meta):
    from safetensors.torch import save_file
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "resnet18.safetensors")
        save_file(state, path)
        with open(path, "rb") as f:
            data = f.read()
    header_length = struct.unpack("<Q", data[:8])[0]
    meta["safetensors"] = {
        "header": data[8:8 + header_length].decode("utf-8"),
        "byte_count": len(data),
        "checksum": str(checksum(data)),
    }


def mutation_shifts(arch, reference, meta):
    """meta.mutation_shift: how far each mutation of BN's backward moves each training-mode gradient."""
    names = gradient_names(arch)
    meta["mutation_shift"] = {}
    for mutation in MUTATIONS:
        model, x, dy = build(arch)
        result = run(mutated(model.double(), mutation), x, dy, True, names)
        assert relative_error(result["output"], reference["output"]) < 1e-12, "the mutated forward must be exact"
        for name in ["input"] + names:
            shift = relative_error(result["grad." + name], reference["grad." + name])
            meta["mutation_shift"].setdefault("train.grad." + name, {})[mutation] = shift


def fixture(arch):
    case = CASES[arch]
    model64, x, dy = build(arch)
    model32, _, _ = build(arch)
    meta = {"arch": arch, "seed": case["seed"], "batch": BATCH, "size": case["size"], "classes": CLASSES,
            "residual_gamma": case.get("residual_gamma", 1.0), "middle": case["middle"], "deep": case["deep"], "samples": SAMPLES, "projections": PROJECTIONS,
            "compact": {}, "pytorch_fp32_error": {}}
    if arch == "resnet18":
        safetensors_entry(model32, meta)
    model64.double()
    names = gradient_names(arch)
    tensors = {}
    sample_seed = 7000
    for mode, training, backward in [("eval", False, False), ("frozen", False, True), ("train", True, True)]:
        r64 = run(model64, x, dy if backward else None, training, names)
        r32 = run(model32, x, dy if backward else None, training, names)
        if mode != "frozen":  # the frozen forward is the eval forward
            tensors[mode + ".output"] = r64["output"]
            meta["pytorch_fp32_error"][mode + ".output"] = relative_error(r32["output"], r64["output"])
        if mode == "eval":
            compact("eval.", "features", r64["features"], r32["features"], sample_seed, tensors, meta)
            sample_seed += 1
        if backward:
            for name in ["input"] + names:
                compact(mode + ".grad.", name, r64["grad." + name], r32["grad." + name], sample_seed, tensors, meta)
                sample_seed += 1
        if training:
            mutation_shifts(arch, r64, meta)
    for buffer in ["running_mean", "running_var"]:
        key = "train.bn1." + buffer
        b64 = getattr(model64.bn1, buffer).numpy()
        tensors[key] = b64
        meta["pytorch_fp32_error"][key] = relative_error(getattr(model32.bn1, buffer).numpy(), b64)
    for key, error in meta["pytorch_fp32_error"].items():
        shifts = " ".join(f"{m} {s:.3g}" for m, s in meta["mutation_shift"].get(key, {}).items())
        print(f"{arch} {key}: fp32 error {error:.3g}  {shifts}")
    path = os.path.join(OUT, f"resnet_{arch}.json")
    write_fixture(path, tensors, meta)
    print(path, os.path.getsize(path), "bytes")


def state_dict_names():
    """Names and shapes of every architecture's state_dict (num_batches_tracked left out), in order."""
    meta = {}
    for arch in ["resnet18", "resnet34", "resnet50", "resnet101"]:
        for classes in [1000, None]:
            model = getattr(torchvision.models, arch)(num_classes=classes or 1000)
            if classes is None:
                model.fc = torch.nn.Identity()
            meta[arch + ("" if classes else "_backbone")] = [
                [name, list(t.shape)] for name, t in model.state_dict().items()
                if not name.endswith("num_batches_tracked")]
    write_fixture(os.path.join(OUT, "resnet_state_dict_names.json"), {}, meta)


if __name__ == "__main__":
    torch.manual_seed(0)
    state_dict_names()
    for arch in CASES:
        fixture(arch)
