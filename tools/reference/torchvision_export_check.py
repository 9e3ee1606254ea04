"""Checks the README's PyTorch snippet on a `dml export --format torchvision` file: the snippet's model
(torchvision resnetNN with fc = nn.Identity(), load_state_dict strict=True, the neck, mean/std, L2) must
give dml embed's embeddings of the same images within 1e-5 (norm-relative per row, as tools/export/check_onnx.py), in float32.

  python tools/reference/torchvision_export_check.py WEIGHTS.safetensors EMBEDDINGS.safetensors IMAGES/

IMAGES/ is a folder made by tools/export/check_onnx.py images (its pixels.npy), EMBEDDINGS the output of
`dml embed --images IMAGES/ --preprocessed`. Needs torch, torchvision and safetensors (not CI's venv).
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision
from safetensors import safe_open
from safetensors.torch import load_file
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "export"))
from check_onnx import read_embeddings, row_errors  # noqa: E402


def snippet_model(path):
    # --- the README's snippet, as it stands there ---
    weights = load_file(path)
    with safe_open(path, "pt") as f:
        meta = f.metadata()
    backbone = getattr(torchvision.models, meta["architecture"])()
    backbone.fc = nn.Identity()
    backbone.load_state_dict({k: v for k, v in weights.items() if not k.startswith("neck.")}, strict=True)
    features = int(meta["features"])
    neck = nn.Sequential()
    if meta["feature_norm"] == "batch":
        neck.add_module("norm", nn.BatchNorm1d(features, affine=False))
    if meta["feature_norm"] == "layer":
        neck.add_module("norm", nn.LayerNorm(features, elementwise_affine=False))
    if meta["remap"] != "none":
        neck.add_module("remap", nn.Linear(features, int(meta["remap"])))
    neck.load_state_dict({k[5:]: v for k, v in weights.items() if k.startswith("neck.")}, strict=True)
    normalize = torchvision.transforms.Normalize(json.loads(meta["mean"]), json.loads(meta["std"]))
    model = nn.Sequential(normalize, backbone, neck).eval()
    # --- end of the snippet ---
    return model, meta


def main(weights_path, embeddings_path, images):
    model, meta = snippet_model(weights_path)
    pixels = np.load(os.path.join(images, "pixels.npy"))
    x = torch.from_numpy(pixels.transpose(0, 3, 1, 2).astype(np.float32) / np.float32(255))
    with torch.no_grad():
        got = model(x)
        if meta["l2_normalize"] == "true":
            got = nn.functional.normalize(got)
    expected = read_embeddings(embeddings_path)[0].astype(np.float64)
    if meta["l2_normalize"] == "true":  # a no-op unless the export added it (--normalize)
        expected /= np.maximum(np.linalg.norm(expected, axis=1, keepdims=True), 1e-12)
    errors = row_errors(got.numpy(), expected)
    print(f"{meta['architecture']}, feature norm {meta['feature_norm']}, remap {meta['remap']}, "
          f"L2 {meta['l2_normalize']}: worst row error {errors.max():.2e} over {len(errors)} images "
          f"(torch {torch.__version__}, torchvision {torchvision.__version__})")
    return 0 if errors.max() <= 1e-5 else 1


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
