"""Why ResNet-50's training-mode gradients below layer4 are noisy in float32: ReLU masks that rounding flips.

Run from the repository root: TORCH_PYTHON tools/reference/relu_flips.py [--seed S] [--residual-gamma G]
(defaults: resnet.py's resnet50 case). Needs torch, torchvision and scipy.

Runs the case's training-mode forward in float64 and in float32 and, for every ReLU and for the stem's max
pool, compares the two runs' inputs: a flip is a unit whose ReLU input changes sign (or a pooling window whose
largest element changes). It prints per stage the units, the flips PyTorch's float32 run actually made, and the
flips to expect of any float32 run with the same error, sum over units of Phi(-|z| / e) with z the float64
input and e the root-mean-square float32 error of that layer's inputs. Then PyTorch's float32 error of each
gradient resnet.py stores. A flip moves every gradient below it by about 1/sqrt(n) of its norm (n: the units
of its layer), and a gradient depends only on the masks above it: layer4's gradients are exact up to rounding
when layer4 has no flip, whatever happens below.
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F
from scipy.stats import norm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import resnet  # noqa: E402

ARCH = "resnet50"


def stage(name):
    """The stage a module belongs to: "stem" or "layer1" … "layer4"."""
    return name.split(".")[0] if name.startswith("layer") else "stem"


def decisions(model, x):
    """(stage, margin) of every ReLU and max-pool call of the training forward, in call order: the ReLU's
    input, or the pooling window's largest element minus its second largest (None where the window is all
    zeros from the ReLU before it: no gradient passes there whatever the choice)."""
    calls = []
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.ReLU):
            module.register_forward_pre_hook(lambda m, i, n=name: calls.append((stage(n), "relu", i[0].detach().clone())))
        elif isinstance(module, torch.nn.MaxPool2d):
            module.register_forward_pre_hook(lambda m, i, n=name: calls.append((stage(n), "pool", i[0].detach().clone())))
    model.train(True)
    with torch.no_grad():
        model(torch.from_numpy(x).to(next(model.parameters()).dtype))
    return calls


def pool_gap(z):
    padded = F.pad(z.double(), (1, 1, 1, 1), value=-float("inf"))
    windows = padded.unfold(2, 3, 2).unfold(3, 3, 2).reshape(*z.shape[:2], -1, 9)
    top = windows.topk(2, dim=-1)
    return top.values[..., 0] - top.values[..., 1], top.indices[..., 0], top.values[..., 0] > 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=resnet.CASES[ARCH]["seed"])
    parser.add_argument("--residual-gamma", type=float, default=resnet.CASES[ARCH].get("residual_gamma", 1.0))
    arguments = parser.parse_args()
    resnet.CASES[ARCH] = dict(resnet.CASES[ARCH], seed=arguments.seed, residual_gamma=arguments.residual_gamma)

    model64, x, dy = resnet.build(ARCH)
    model32, _, _ = resnet.build(ARCH)
    model64.double()
    rows = {}
    for (where, kind, z64), (_, _, z32) in zip(decisions(model64, x), decisions(model32, x)):
        error = (z32.double() - z64).pow(2).mean().sqrt().item()
        if kind == "relu":
            margin, flipped, counted = z64.abs(), (z64 > 0) != (z32 > 0), torch.ones_like(z64, dtype=torch.bool)
        else:
            margin, argmax64, counted = pool_gap(z64)
            _, argmax32, _ = pool_gap(z32)
            flipped = argmax64 != argmax32
        expected = norm.cdf(-(margin[counted] / max(error, 1e-300)).numpy()).sum()
        row = rows.setdefault(where, [0, 0, 0.0])
        row[0] += int(counted.sum())
        row[1] += int((flipped & counted).sum())
        row[2] += float(expected)
    print(f"{ARCH}, seed {arguments.seed}, residual gamma {arguments.residual_gamma}, training mode")
    print(f"{'stage':8} {'units':>9} {'flips':>6} {'expected':>10}")
    for where, (units, flips, expected) in rows.items():
        print(f"{where:8} {units:9d} {flips:6d} {expected:10.3g}")

    names = resnet.gradient_names(ARCH)
    r64 = resnet.run(model64, x, dy, True, names)
    r32 = resnet.run(model32, x, dy, True, names)
    print("PyTorch's float32 error of the stored training-mode tensors:")
    for name in ["output"] + ["grad." + n for n in ["input"] + names]:
        print(f"  {name:40} {resnet.relative_error(r32[name], r64[name]):.3g}")


if __name__ == "__main__":
    main()
