"""Writes Tests/Fixtures/safetensors_reference.safetensors with the Python safetensors package, plus
Tests/Fixtures/safetensors_reference.json holding every tensor's values as float64 (torch's own upcast),
which SafeTensorsFileTests compares exactly with what Swift decodes.

Inputs come from seeded.Seeded(11) in this order: a [3, 4] (F32, scale 1), b [5] (F16, scale 2),
c [2, 3] (BF16, scale 3), labels [6] (I64: floor(unit * 2^41) - 2^40, so negatives and values past 2^32).
F16 and BF16 are rounded from the float32 draws.
"""
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(__file__))
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

rng = Seeded(11)
a = torch.tensor(rng.array32([3, 4]), dtype=torch.float32)
b = torch.tensor(rng.array32([5], 2.0), dtype=torch.float32).to(torch.float16)
c = torch.tensor(rng.array32([2, 3], 3.0), dtype=torch.float32).to(torch.bfloat16)
labels = torch.tensor(np.floor(rng.unit(6) * 2.0**41).astype(np.int64) - 2**40, dtype=torch.int64)
tensors = {"a": a, "b": b, "c": c, "labels": labels}

out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures")
save_file(tensors, os.path.join(out, "safetensors_reference.safetensors"),
          metadata={"format": "pt", "note": "seeded 11, \u00e9t\u00e9"})
write_fixture(os.path.join(out, "safetensors_reference.json"),
              {k: v.double().numpy() for k, v in tensors.items()},
              meta={"dtypes": {k: str(v.dtype) for k, v in tensors.items()}})
