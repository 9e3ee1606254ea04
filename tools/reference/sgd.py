"""torch.optim.SGD in float64 for three steps, written to Tests/Fixtures/sgd.json (SGDTests).

Parameters w [3, 4], b [4], c [2, 3, 2, 2] are drawn from seeded.Seeded(5) (scale 1, float32-rounded),
then the gradients for steps 0, 1, 2 in the same order (each step: w, b, c). Learning rates 0.1, 0.05, 0.02
(the schedule changes the rate between steps). Every configuration restarts from the same draws.
Groups: "nodecay" puts weight decay on w and c (dimension > 1) only, as SGD.groupsWithoutBiasDecay does;
"all" decays every parameter.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

SHAPES = {"w": [3, 4], "b": [4], "c": [2, 3, 2, 2]}
RATES = [0.1, 0.05, 0.02]
CONFIGS = {
    "nesterov": dict(momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.05, groups="nodecay"),
    "dampened": dict(momentum=0.8, dampening=0.25, nesterov=False, weight_decay=0.01, groups="nodecay"),
    "plain": dict(momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.1, groups="all"),
}

tensors = {}
for config, options in CONFIGS.items():
    rng = Seeded(5)
    params = {k: torch.tensor(rng.array32(s), dtype=torch.float64, requires_grad=True) for k, s in SHAPES.items()}
    grads = [{k: torch.tensor(rng.array32(s), dtype=torch.float64) for k, s in SHAPES.items()} for _ in RATES]
    wd = options["weight_decay"]
    if options["groups"] == "nodecay":
        groups = [{"params": [params["w"], params["c"]], "weight_decay": wd},
                  {"params": [params["b"]], "weight_decay": 0.0}]
    else:
        groups = [{"params": list(params.values()), "weight_decay": wd}]
    opt = torch.optim.SGD(groups, lr=RATES[0], momentum=options["momentum"], dampening=options["dampening"],
                          nesterov=options["nesterov"])
    for step, lr in enumerate(RATES):
        for group in opt.param_groups:
            group["lr"] = lr
        for k, p in params.items():
            p.grad = grads[step][k].clone()
        opt.step()
    for k, p in params.items():
        tensors[f"{config}.{k}"] = p.detach().numpy()
        if options["momentum"] != 0:
            tensors[f"{config}.{k}.momentum"] = opt.state[p]["momentum_buffer"].numpy()

out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "sgd.json")
write_fixture(out, tensors, meta={"rates": RATES, "configs": CONFIGS})
