"""Reference fixture for Training/TrainingStep.swift: three composed training steps in float64.

Run from the repository root: TORCH_PYTHON tools/reference/train_step.py (docs/DESIGN.md §1)

The model is the paper's EmbeddingModel with a ResNet-18 backbone at 64 px: ImageNet mean/std inside the
model, backbone batch norm frozen (set_bn_eval: running statistics in forward and backward, affine weights
trained), neck BatchNorm1d(512, affine=False) in training mode, remap Linear(512, 16) with zero bias. The loss
owns dropout (p = 0.5, masks below) and a zero-initialised Linear(16, 5) classifier, then label-smoothed
cross-entropy (eps 0.1: target 1 - eps on the label, eps / (C - 1) elsewhere; KL divergence, batch mean).
SGD with momentum 0.9, Nesterov, weight decay 5e-4 on parameters of dimension > 1 only (model and loss
parameters alike), learning rate lr * min((i + 1) / 100, (1 + cos(pi i / T)) / 2) at iterations i = 7, 8, 9
of T = 10.

Fill (Tests/MetricLearningTests/TrainingStepTests.swift does the same): one Seeded(SEED) stream fills the
backbone state_dict in order with resnet.py's `fill_values` rules (num_batches_tracked skipped), then the neck
BatchNorm1d's running_mean and running_var and the remap weight by the same rules (remap bias and the
classifier stay zero), then draws the images x [8, 3, 64, 64] as (u + 1) / 2 in [0, 1) (computed in float64, rounded to float32)
and, for each step in turn, the dropout draws u [8, 16] as (u + 1) / 2: an element is kept (and scaled by 2)
when its draw >= 0.5.

Stored: per step k the loss, the learning rate, the classifier's accuracy (argmax of the logits the loss used,
dropout included), the embedding and dLoss/dEmbedding; after the last step the
full classifier, remap bias and neck running statistics, and for the large tensors the update
delta = final - initial compactly as resnet.py stores gradients (`.norm`; `.sample`: values at 256 indices
floor(unit * n) drawn from Seeded(sample seed); `.projection`: 8 dot products with vectors signed(n) drawn next
from the same stream; meta.compact[name] = {"seed", "count"}). meta.pytorch_fp32_error holds PyTorch-fp32's
norm-relative error against float64 for every stored tensor.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_io import write_fixture  # noqa: E402
from resnet import fill_values  # noqa: E402
from seeded import Seeded  # noqa: E402

SEED = 3006
BATCH, SIZE, EMBEDDING, CLASSES = 8, 64, 16, 5
LABELS = [0, 1, 2, 3, 4, 0, 1, 2]
DROPOUT, SMOOTHING = 0.5, 0.1
LR, MOMENTUM, WEIGHT_DECAY = 0.5, 0.9, 5e-4
ITERATIONS, TOTAL = [7, 8, 9], 10
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
SAMPLES, PROJECTIONS = 256, 8
COMPACT = ["conv1.weight", "layer4.1.conv2.weight", "neck.remap.weight"]
FULL_DELTAS = ["bn1.weight", "layer4.1.bn2.bias"]
FINAL = ["loss.classifier.weight", "loss.classifier.bias", "neck.remap.bias", "neck.norm.running_mean",
         "neck.norm.running_var"]


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torchvision.models.resnet18()
        self.backbone.fc = torch.nn.Identity()
        self.norm = torch.nn.BatchNorm1d(512, affine=False)
        self.remap = torch.nn.Linear(512, EMBEDDING)
        self.classifier = torch.nn.Linear(EMBEDDING, CLASSES)

    def named_state(self):
        """Every tensor under the names the Swift side uses (backbone: torchvision names)."""
        state = {k: v for k, v in self.backbone.state_dict().items()}
        state.update({"neck.norm." + k: v for k, v in self.norm.state_dict().items()})
        state.update({"neck.remap." + k: v for k, v in self.remap.state_dict().items()})
        state.update({"loss.classifier." + k: v for k, v in self.classifier.state_dict().items()})
        return state

    def embed(self, x, autocast=False):
        """The embedding; with `autocast`, the backbone runs under bf16 autocast and its pooled features
        return to x's dtype for the neck (this package's bf16 recipe, used by bf16.py)."""
        mean = torch.tensor(MEAN, dtype=x.dtype).view(1, 3, 1, 1)
        std = torch.tensor(STD, dtype=x.dtype).view(1, 3, 1, 1)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            features = self.backbone((x - mean) / std)
        return self.remap(self.norm(features.to(x.dtype)))


def build(dtype):
    model = Model()
    gen = Seeded(SEED)
    with torch.no_grad():
        for name, tensor in model.named_state().items():
            if name.endswith("num_batches_tracked"):
                continue
            if name in ("neck.remap.bias", "loss.classifier.weight", "loss.classifier.bias"):
                tensor.zero_()
            else:
                tensor.copy_(torch.from_numpy(fill_values(name, tuple(tensor.shape), gen)))
    model.to(dtype)
    x = torch.from_numpy(((gen.array((BATCH, 3, SIZE, SIZE)) + 1) / 2).astype(np.float32)).to(dtype)
    masks = [torch.from_numpy(((gen.array((BATCH, EMBEDDING)) + 1) / 2 >= DROPOUT).astype(np.float64)).to(dtype)
             for _ in ITERATIONS]
    return model, x, masks


def smoothed_cross_entropy(logits, labels):
    log_p = F.log_softmax(logits, dim=1)
    target = torch.full_like(log_p, SMOOTHING / (CLASSES - 1))
    target[torch.arange(len(labels)), labels] = 1 - SMOOTHING
    return (target * (torch.log(target) - log_p)).sum(dim=1).mean()


def learning_rate(i):
    return LR * min((i + 1) / 100, (1 + math.cos(math.pi * i / TOTAL)) / 2)


def train(dtype, autocast=False):
    model, x, masks = build(dtype)
    initial = {k: v.clone() for k, v in model.named_state().items()}
    # set_bn_eval: the backbone's batch norms in eval mode, everything else training.
    model.train()
    for module in model.backbone.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.eval()
    decay = [p for p in model.parameters() if p.dim() > 1]
    no_decay = [p for p in model.parameters() if p.dim() <= 1]
    optimizer = torch.optim.SGD([{"params": decay, "weight_decay": WEIGHT_DECAY},
                                 {"params": no_decay, "weight_decay": 0}],
                                lr=LR, momentum=MOMENTUM, nesterov=True)
    labels = torch.tensor(LABELS)
    result = {}
    for step, (i, mask) in enumerate(zip(ITERATIONS, masks)):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(i)
        optimizer.zero_grad()
        embedding = model.embed(x, autocast)
        embedding.retain_grad()
        dropped = embedding * mask / (1 - DROPOUT)
        logits = model.classifier(dropped)
        loss = smoothed_cross_entropy(logits, labels)
        loss.backward()
        optimizer.step()
        result[f"step{step}.loss"] = np.array([loss.item()])
        result[f"step{step}.lr"] = np.array([learning_rate(i)])
        result[f"step{step}.accuracy"] = np.array([(logits.argmax(dim=1) == labels).double().mean().item()])
        result[f"step{step}.embedding"] = embedding.detach().double().numpy()
        result[f"step{step}.grad_embedding"] = embedding.grad.double().numpy()
    final = model.named_state()
    for name in FINAL:
        result[name] = final[name].double().numpy()
    for name in COMPACT + FULL_DELTAS:
        result[name + ".delta"] = (final[name] - initial[name]).double().numpy()
    return result


def relative_error(a, b):
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b)) / max(np.linalg.norm(np.asarray(b)), 1e-300))


def main():
    torch.manual_seed(0)
    r64, r32 = train(torch.float64), train(torch.float32)
    tensors, meta = {}, {"seed": SEED, "batch": BATCH, "size": SIZE, "embedding": EMBEDDING, "classes": CLASSES,
                         "labels": LABELS, "dropout": DROPOUT, "smoothing": SMOOTHING, "lr": LR,
                         "momentum": MOMENTUM, "weight_decay": WEIGHT_DECAY, "iterations": ITERATIONS,
                         "total": TOTAL, "samples": SAMPLES, "compact": {}, "pytorch_fp32_error": {}}
    sample_seed = 9100
    for name, value in r64.items():
        meta["pytorch_fp32_error"][name] = relative_error(r32[name], value)
        if name.removesuffix(".delta") in COMPACT:
            flat = value.reshape(-1)
            gen = Seeded(sample_seed)
            indices = np.floor(gen.unit(SAMPLES) * flat.size).astype(np.int64)
            tensors[name + ".norm"] = [np.linalg.norm(flat)]
            tensors[name + ".sample"] = flat[indices]
            tensors[name + ".projection"] = [float(gen.signed(flat.size) @ flat) for _ in range(PROJECTIONS)]
            meta["compact"][name] = {"seed": sample_seed, "count": int(flat.size)}
            sample_seed += 1
        else:
            tensors[name] = value
    for step in range(len(ITERATIONS)):
        print(f"step {step}: loss {r64[f'step{step}.loss'][0]:.6f}, lr {r64[f'step{step}.lr'][0]:.5f}")
    path = os.path.join("Tests/Fixtures", "train_step.json")
    write_fixture(path, tensors, meta)
    print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
