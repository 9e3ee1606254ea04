"""Writes PyTorch .pth fixtures for PyTorchFileTests (torch 1.13's zip format, as torchvision's releases):

- Tests/Fixtures/pth_reference.pth: torch.save of a state dict (an OrderedDict with _metadata, as
  Module.state_dict() returns) of Conv2d(2, 3, 3) → BatchNorm2d(3) → Linear(3, 2) with parameters drawn
  from seeded.Seeded(21) in state_dict order (scale 0.5), running_var = 1 + |draw|, num_batches_tracked 7,
  plus extra entries: "double" (F64 [2, 2]), "half" (F16 [3]), "bf16" (BF16 [2]), "transposed" (a
  non-contiguous view, [3, 2] of a [2, 3] draw), "offset" (a view at storage offset 2 of a [6] draw),
  "labels" (I64 [4]), "mask" (BOOL [3]), "bytes" (U8 [2]).
- Tests/Fixtures/pth_reference_deflated.pth: the same archive re-zipped with deflate compression.
- Tests/Fixtures/pth_reference.json: every tensor's values as float64 (row-major, logical order).
- Tests/Fixtures/pth_unsafe.pth: a zip whose data.pkl calls os.system (must be refused, never run).
"""
import collections
import os
import sys
import zipfile

import torch

sys.path.insert(0, os.path.dirname(__file__))
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures")
rng = Seeded(21)
model = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3), torch.nn.Linear(3, 2))
state = model.state_dict()
rng.fill_state_dict(state, batches_tracked=7, variance_floor=1)
state["double"] = torch.tensor(rng.array([2, 2]), dtype=torch.float64)
state["half"] = torch.tensor(rng.array32([3], 4.0), dtype=torch.float32).half()
state["bf16"] = torch.tensor(rng.array32([2], 4.0), dtype=torch.float32).bfloat16()
state["transposed"] = torch.tensor(rng.array32([2, 3]), dtype=torch.float32).t()
state["offset"] = torch.tensor(rng.array32([6]), dtype=torch.float32)[2:]
state["labels"] = torch.tensor([3, -1, 2**40, 0], dtype=torch.int64)
state["mask"] = torch.tensor([True, False, True])
state["bytes"] = torch.tensor([0, 255], dtype=torch.uint8)
assert not state["transposed"].is_contiguous() and state["offset"].storage_offset() == 2

path = os.path.join(out, "pth_reference.pth")
torch.save(state, path)
with zipfile.ZipFile(path) as source, zipfile.ZipFile(os.path.join(out, "pth_reference_deflated.pth"), "w",
                                                        zipfile.ZIP_DEFLATED) as target:
    for info in source.infolist():
        target.writestr(info.filename, source.read(info.filename))
write_fixture(os.path.join(out, "pth_reference.json"),
              {k: v.double().numpy() for k, v in state.items()},
              meta={"names": list(state.keys())})

with zipfile.ZipFile(os.path.join(out, "pth_unsafe.pth"), "w") as unsafe:
    unsafe.writestr("archive/data.pkl", b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03.")
    unsafe.writestr("archive/version", b"3\n")
