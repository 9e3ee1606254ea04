"""The `fashion-mnist` preset's recipe (DESIGN §3) in PyTorch, for the README's side-by-side table.

Run from the repo root: TORCH_PYTHON tools/reference/train_fashion_mnist.py --seed 0
                        [--threads 2] [--workers 1] [--memory-format channels_last|contiguous]
                        [--precision fp32|bf16] [--epochs 5] [--data /usr/share/datasets/fashion-mnist]
                        [--json results.json]
Measured with torch 2.15.0 and torchvision 0.29.2 (PyPI).

Protocol (DESIGN §4): train on classes 0-4 of the train split (30,000 images), retrieve among classes 5-9 of
the test split (5,000 images), leave-one-out. Recipe: ResNet-18 with torchvision's initialisation trained from
scratch, batch norm in training mode, ImageNet mean/std inside the model, no neck, 512-d embedding; 28x28 grey
images replicated to 3 channels and resized to 32x32 (PIL bilinear); train transform RandomResizedCrop(32,
scale (0.5, 1), ratio (3/4, 4/3)) + horizontal flip; batch 128, last partial batch dropped; loss: a Linear
classifier with zero-initialised weight and bias, label-smoothed cross-entropy (eps 0.1, target eps/(C-1) off
the label); SGD lr 0.02, momentum 0.9, Nesterov, weight decay 5e-4 on parameters of dimension > 1; warmcos
schedule stepped every iteration; evaluation (cosine and L2 Recall@1/2/4/8) before training and after every
epoch. Prints one JSON object per evaluation and a summary with the wall time.

Like for like with `dml train`: images are loaded and transformed by `--workers` DataLoader worker processes
(default 1, which is what `dml train` uses on 2 cores: one loader thread beside the arithmetic), kept for the
whole run (`persistent_workers`), two batches prefetched, for training and evaluation alike; the arithmetic
uses `--threads` threads. `--precision bf16` runs the model under `torch.autocast("cpu", dtype=torch.bfloat16)`
(the classifier and loss stay float32, as this package's bf16 recipe).
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
KS = [1, 2, 4, 8]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_split(root, prefix, classes):
    images = read_idx(os.path.join(root, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(root, f"{prefix}-labels-idx1-ubyte.gz")).astype(np.int64)
    keep = np.isin(labels, classes)
    rgb = [Image.fromarray(im).convert("RGB").resize((32, 32), Image.BILINEAR) for im in images[keep]]
    return rgb, labels[keep] - min(classes)


class Images(torch.utils.data.Dataset):
    def __init__(self, images, labels, transform):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.transform(self.images[i]), int(self.labels[i])


class EmbeddingModel(torch.nn.Module):
    def __init__(self, memory_format, autocast):
        super().__init__()
        self.backbone = torchvision.models.resnet18()
        self.backbone.fc = torch.nn.Identity()
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1))
        self.memory_format, self.autocast = memory_format, autocast

    def forward(self, x):
        x = ((x - self.mean) / self.std).contiguous(memory_format=self.memory_format)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.autocast):
            return self.backbone(x).float()


def smoothed_cross_entropy(logits, labels, eps=0.1):
    classes = logits.shape[1]
    log_p = F.log_softmax(logits, dim=1)
    target = torch.full_like(log_p, eps / (classes - 1))
    target.scatter_(1, labels[:, None], 1 - eps)
    return (target * (torch.log(target) - log_p)).sum(dim=1).mean()


def recall_at_k(embeddings, labels, distance):
    """Leave-one-out Recall@K (the query excluded by index; ties broken by lower index)."""
    x = embeddings.double()
    if distance == "cosine":
        x = F.normalize(x, dim=1)
    squared = (x * x).sum(1)
    recalls = {k: 0 for k in KS}
    labels = torch.as_tensor(labels)
    for start in range(0, len(x), 1024):
        q = x[start:start + 1024]
        d = squared[None, :] - 2 * q @ x.T  # + |q|^2, constant per row
        d[torch.arange(len(q)), torch.arange(start, start + len(q))] = float("inf")
        order = torch.from_numpy(np.argsort(d.numpy(), axis=1, kind="stable")[:, :max(KS)])
        hits = labels[order] == labels[start:start + len(q), None]
        for k in KS:
            recalls[k] += int(hits[:, :k].any(1).sum())
    return {str(k): recalls[k] / len(x) for k in KS}


@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    embeddings, labels = [], []
    for x, y in loader:
        embeddings.append(model(x))
        labels.append(y)
    embeddings, labels = torch.cat(embeddings), torch.cat(labels)
    return {"cosine": {"recall_at_k": recall_at_k(embeddings, labels, "cosine")},
            "l2": {"recall_at_k": recall_at_k(embeddings, labels, "l2")}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--memory-format", choices=["channels_last", "contiguous"], default="channels_last")
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--json", help="write the summary here")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    started = time.time()

    train_images, train_labels = load_split(args.data, "train", [0, 1, 2, 3, 4])
    test_images, test_labels = load_split(args.data, "t10k", [5, 6, 7, 8, 9])
    train_transform = transforms.Compose([
        transforms.RandomResizedCrop(32, scale=(0.5, 1), ratio=(3 / 4, 4 / 3)),
        transforms.RandomHorizontalFlip(), transforms.ToTensor()])
    workers = dict(num_workers=args.workers, persistent_workers=args.workers > 0)
    train_loader = torch.utils.data.DataLoader(Images(train_images, train_labels, train_transform), batch_size=128,
                                               shuffle=True, drop_last=True, **workers)
    test_loader = torch.utils.data.DataLoader(Images(test_images, test_labels, transforms.ToTensor()),
                                              batch_size=256, **workers)

    memory_format = torch.channels_last if args.memory_format == "channels_last" else torch.contiguous_format
    model = EmbeddingModel(memory_format, args.precision == "bf16").to(memory_format=memory_format)
    classifier = torch.nn.Linear(512, 5)
    torch.nn.init.zeros_(classifier.weight)
    torch.nn.init.zeros_(classifier.bias)
    parameters = list(model.parameters()) + list(classifier.parameters())
    optimizer = torch.optim.SGD([{"params": [p for p in parameters if p.dim() > 1], "weight_decay": 5e-4},
                                 {"params": [p for p in parameters if p.dim() <= 1], "weight_decay": 0}],
                                lr=0.02, momentum=0.9, nesterov=True)
    steps = len(train_loader)
    total = max(1, args.epochs * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda i: min((i + 1) / 100, (1 + math.cos(math.pi * i / total)) / 2))

    history = []
    record = {"epoch": 0, **evaluate(model, test_loader)}
    print(json.dumps(record), flush=True)
    history.append(record)
    train_seconds = 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        epoch_start, losses = time.time(), []
        for x, y in train_loader:
            loss = smoothed_cross_entropy(classifier(model(x)), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            losses.append(loss.item())
        train_seconds += time.time() - epoch_start
        record = {"epoch": epoch, **evaluate(model, test_loader), "train_loss": float(np.mean(losses)),
                  "seconds": time.time() - started}
        print(json.dumps(record), flush=True)
        history.append(record)

    summary = {"seed": args.seed, "threads": args.threads, "workers": args.workers, "epochs": args.epochs,
               "memory_format": args.memory_format, "precision": args.precision, "torch": torch.__version__,
               "torchvision": torchvision.__version__,
               "wall_seconds": time.time() - started, "train_seconds": train_seconds,
               "final": history[-1], "history": history}
    print(json.dumps({k: summary[k] for k in ["seed", "wall_seconds", "train_seconds"]}
                     | {"recall_at_k": history[-1]["cosine"]["recall_at_k"]}))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
