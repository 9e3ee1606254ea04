"""The state_dict that `dml export --format torchvision` must reproduce, read from torchvision itself.

Run from the repo root: TORCH_PYTHON tools/reference/torchvision_keys.py
(any Python with torch and torchvision; the output does not depend on their random initialisation).

For each architecture, `torchvision.models.<arch>()` with `fc = nn.Identity()` (the embedding backbone a
user loads the export into, `load_state_dict(..., strict=True)`): every state_dict entry in order as
[name, shape, dtype], dtype in safetensors' spelling (F32, I64 for num_batches_tracked, whose shape is []).
Writes Tests/Fixtures/torchvision_backbone_keys.json ({"meta": {arch: [...], "torchvision": version}}).
"""
import json
import os

import torch
import torchvision

OUT = "Tests/Fixtures/torchvision_backbone_keys.json"
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def entries(arch):
    model = getattr(torchvision.models, arch)(weights=None)
    model.fc = torch.nn.Identity()
    return [[name, list(t.shape), DTYPES[t.dtype]] for name, t in model.state_dict().items()]


if __name__ == "__main__":
    meta = {arch: entries(arch) for arch in ["resnet18", "resnet34", "resnet50", "resnet101"]}
    meta["torchvision"] = torchvision.__version__.split("+")[0]
    with open(OUT, "w") as f:
        json.dump({"meta": meta, "tensors": {}}, f, separators=(",", ":"), sort_keys=True)
    print(OUT, os.path.getsize(OUT), "bytes")
