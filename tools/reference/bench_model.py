"""The PyTorch side of `dml bench model --compare-pytorch PYTHON`: the same training step and inference, with
PyTorch at its best on a CPU: `channels_last` memory format, and for bf16 `torch.autocast("cpu",
dtype=torch.bfloat16)` around the forward and the loss (the two lines a PyTorch user adds).

Measured with torch 2.15.0 and torchvision 0.29.2 (PyPI); other versions are refused unless --any-version.
Usage: python bench_model.py --arch resnet50 --batch 16 --size 224 --threads 2 --steps 5 --precision bf16
Prints one JSON object: {"train_images_per_second", "inference_images_per_second", "peak_rss_bytes",
"torch_version", "torchvision_version", "threads", "precision", "memory_format"}.

Training step: torchvision <arch>(num_classes=100), batch norm in training mode, cross-entropy with label
smoothing 0.1, SGD lr 0.01 momentum 0.9 Nesterov weight decay 5e-4 on all parameters, no input gradient;
inference: eval mode under no_grad (and autocast for bf16). Random inputs; one untimed warm-up step or batch
before each timing.
"""
import argparse
import contextlib
import json
import resource
import sys
import time

import torch
import torchvision

VERSIONS = {"torch": "2.15.0", "torchvision": "0.29.2"}


def check_versions():
    found = {"torch": torch.__version__.split("+")[0], "torchvision": torchvision.__version__.split("+")[0]}
    if found != VERSIONS:
        sys.exit(f"bench_model.py is pinned to {VERSIONS}, found {found} (pass --any-version to run anyway)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="resnet50")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    parser.add_argument("--any-version", action="store_true")
    args = parser.parse_args()
    if not args.any_version:
        check_versions()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = getattr(torchvision.models, args.arch)(num_classes=100).to(memory_format=torch.channels_last)
    x = torch.rand(args.batch, 3, args.size, args.size).to(memory_format=torch.channels_last)
    labels = torch.randint(0, 100, (args.batch,))
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)

    def autocast():
        if args.precision == "bf16":
            return torch.autocast("cpu", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def train_step():
        optimizer.zero_grad(set_to_none=False)
        with autocast():
            loss = criterion(model(x), labels)
        loss.backward()
        optimizer.step()

    model.train()
    train_step()
    start = time.perf_counter()
    for _ in range(args.steps):
        train_step()
    train_seconds = time.perf_counter() - start

    model.eval()
    with torch.no_grad(), autocast():
        model(x)
        start = time.perf_counter()
        for _ in range(args.steps):
            model(x)
        inference_seconds = time.perf_counter() - start

    print(json.dumps({
        "train_images_per_second": args.batch * args.steps / train_seconds,
        "inference_images_per_second": args.batch * args.steps / inference_seconds,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "torch_version": torch.__version__,
        "torchvision_version": torchvision.__version__,
        "threads": torch.get_num_threads(),
        "precision": args.precision,
        "memory_format": "channels_last",
    }))


if __name__ == "__main__":
    main()
