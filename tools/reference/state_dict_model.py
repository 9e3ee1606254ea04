"""A small torch model saved both ways, for LayerStateDictTests' end-to-end check:
Sequential(Conv2d(3, 4, 3, padding=1, bias=False), BatchNorm2d(4), ReLU, AdaptiveAvgPool2d(1), Flatten,
Linear(4, 3)). State-dict tensors are drawn from seeded.Seeded(31) in state_dict order (scale 0.5;
running_var 0.5 + |draw|, num_batches_tracked 3), then the input [2, 3, 8, 8] (scale 1).

Writes Tests/Fixtures/state_dict_model.pth (torch.save), state_dict_model.safetensors (safetensors.torch)
and state_dict_model.json: the eval-mode output in float64 (from the float32 weights) and PyTorch's own
float32 error against it.
"""
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(__file__))
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures")
rng = Seeded(31)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1, bias=False), torch.nn.BatchNorm2d(4),
                            torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 3))
state = model.state_dict()
rng.fill_state_dict(state, batches_tracked=3, variance_floor=0.5)
x = torch.tensor(rng.array32([2, 3, 8, 8]), dtype=torch.float32)
model.eval()
with torch.no_grad():
    y32 = model(x).double()
    y64 = model.double()(x.double())
torch.save(model.float().state_dict(), os.path.join(out, "state_dict_model.pth"))
save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(out, "state_dict_model.safetensors"))
error = float((y32 - y64).norm() / y64.norm())
write_fixture(os.path.join(out, "state_dict_model.json"), {"output": y64.numpy()}, meta={"pytorch_fp32_error": error})
